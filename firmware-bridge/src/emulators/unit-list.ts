/** Parses a unit list as given on command lines: `1-32`, `1,2,5`, `1-4,9`. */
export function parseUnits(text: string): number[] {
  const units = new Set<number>();
  for (const part of text.split(',')) {
    const range = part.trim().match(/^([0-9]+)(?:-([0-9]+))?$/);
    if (range === null) throw new Error(`--units: cannot read "${part}" (expected e.g. 1-32 or 1,2,5)`);
    const from = Number(range[1]);
    const to = Number(range[2] ?? range[1]);
    if (from < 1 || to > 247 || from > to) throw new Error(`--units: ${part} is outside 1..247`);
    for (let unit = from; unit <= to; unit++) units.add(unit);
  }
  return [...units];
}
