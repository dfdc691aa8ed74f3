/**
 * Writes planned messages to one sign: only when what it shows changes, and again before the sign's
 * own blank-out timeout. One write in flight; a newer message waiting behind it replaces older ones.
 */
import type { Logger } from '@citybay/common';
import type { GuidanceSign, SignMessage } from '@citybay/firmware-bridge';

export interface SignWriterOptions {
  sign: GuidanceSign;
  /** Rewrite the same content after this long, in ms (half the sign's blank-out timeout). */
  refreshMs: number;
  logger: Logger;
  nowMs: () => number;
  /** Called after every write attempt, for metrics. */
  onWrite?: (result: 'ok' | 'error', durationMs: number, reason: 'change' | 'refresh') => void;
}

export class SignWriter {
  private shownKey: string | undefined;
  private lastWriteMs = Number.NEGATIVE_INFINITY;
  private wanted: SignMessage | undefined;
  private wantedKey: string | undefined;
  private writing: Promise<void> | undefined;
  private isFailing = false;
  private inFlightKey: string | undefined;
  /** Content currently on the sign (as far as the last successful write says). */
  current: SignMessage | undefined;

  constructor(private readonly options: SignWriterOptions) {}

  get signId(): string {
    return this.options.sign.id;
  }

  /** True from a failed write until the next successful one: the sign may not show what was planned. */
  get isWriteFailing(): boolean {
    return this.isFailing;
  }

  /** Asks for `message` to be shown; writes at once if it differs or a refresh is due. */
  update(message: SignMessage): void {
    const key = JSON.stringify(message);
    const isDue = this.options.nowMs() - this.lastWriteMs >= this.options.refreshMs;
    if (this.wanted === undefined && key === (this.inFlightKey ?? this.shownKey) && !isDue) return;
    if (this.wanted !== undefined && key === this.wantedKey) return;
    this.wanted = message;
    this.wantedKey = key;
    if (!this.writing) this.writing = this.drain();
  }

  private async drain(): Promise<void> {
    while (this.wanted) {
      const message = this.wanted;
      const key = this.wantedKey!;
      this.wanted = undefined;
      this.wantedKey = undefined;
      const reason = key === this.shownKey ? 'refresh' : 'change';
      const started = this.options.nowMs();
      this.inFlightKey = key;
      try {
        await this.options.sign.show(message);
        this.shownKey = key;
        this.current = message;
        this.lastWriteMs = this.options.nowMs();
        if (this.isFailing) this.options.logger.info({ signId: this.signId }, 'sign answers again');
        this.isFailing = false;
        this.options.onWrite?.('ok', this.options.nowMs() - started, reason);
      } catch (err) {
        // Unknown content on the sign: the next plan writes again.
        this.shownKey = undefined;
        if (!this.isFailing) this.options.logger.warn({ err, signId: this.signId }, 'sign write failed');
        this.isFailing = true;
        this.options.onWrite?.('error', this.options.nowMs() - started, reason);
      }
    }
    this.inFlightKey = undefined;
    this.writing = undefined;
  }

  /** Resolves when no write is in flight. */
  async idle(): Promise<void> {
    while (this.writing) await this.writing;
  }
}
