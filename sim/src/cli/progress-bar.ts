/** A one-line progress bar on stderr (redrawn in place on a terminal, a few plain lines otherwise). */
export class ProgressBar {
  private lastDrawn = -1;

  constructor(
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  update(fraction: number): void {
    const percent = Math.max(0, Math.min(100, Math.floor(fraction * 100)));
    const isTty = this.stream.isTTY === true;
    if (percent === this.lastDrawn || (!isTty && percent % 25 !== 0)) return;
    this.lastDrawn = percent;
    const width = 30;
    const filled = Math.round((percent / 100) * width);
    const line = `${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(percent).padStart(3)}%`;
    this.stream.write(isTty ? `\r${line}` : `${line}\n`);
  }

  done(): void {
    this.update(1);
    if (this.stream.isTTY === true) this.stream.write('\n');
  }
}
