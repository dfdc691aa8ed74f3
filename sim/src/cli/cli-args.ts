import { parseClockMin } from '../scenario/clock-time.js';

/** Seeds one `--seeds` may ask for: a typo like `1-100000` should fail at once, not start a day-long sweep. */
const MAX_SEEDS = 1000;

/** Parses `1,2,5` or `1-4` (or a mix) into a list of seeds. */
export function parseSeedList(text: string): number[] {
  const seeds: number[] = [];
  for (const part of text.split(',')) {
    const range = /^(\d+)-(\d+)$/.exec(part.trim());
    if (range !== null) {
      const [first, last] = [Number(range[1]), Number(range[2])];
      if (first > last) throw new Error(`--seeds: "${part}" is an empty range (write the lower seed first)`);
      if (last - first + 1 > MAX_SEEDS) throw new Error(`--seeds: "${part}" is more than ${MAX_SEEDS} seeds`);
      for (let s = first; s <= last; s++) seeds.push(s);
    } else if (/^\d+$/.test(part.trim())) {
      seeds.push(Number(part.trim()));
    } else {
      throw new Error(`--seeds: "${part}" is not a number or a range a-b`);
    }
  }
  if (seeds.length > MAX_SEEDS) throw new Error(`--seeds: ${seeds.length} seeds, at most ${MAX_SEEDS}`);
  return seeds;
}

/** Parses `--threads`: a whole number of worker threads, at least 1. */
export function parseThreadCount(text: string): number {
  const threads = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!(threads >= 1)) throw new Error(`--threads: "${text}" is not a whole number of threads, 1 or more`);
  return threads;
}

/** Parses `--window HH:MM-HH:MM` into seconds after midnight. */
export function parseWindow(text: string): { fromS: number; toS: number } {
  const [from = '', to = ''] = text.split('-');
  const fromMin = parseClockMin(from.trim());
  const toMin = parseClockMin(to.trim());
  if (fromMin === undefined || toMin === undefined || fromMin >= toMin) {
    throw new Error(`--window: "${text}" is not HH:MM-HH:MM with from < to`);
  }
  return { fromS: fromMin * 60, toS: toMin * 60 };
}
