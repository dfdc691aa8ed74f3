// Benchmark (c) over several demand seeds (CB_OSM_SEEDS=42,7,1,2,3): one child run of sumo-osm.ts per seed (its own
// process, so no seed's network tables, route trees or V8 state carry over into the next), then one row per seed and
// the range of each figure. A user trusts the model only if it holds on their demand, not on one seed.
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import type { OsmSeedSummary } from './sumo-osm.js';
import { pctDiff, seedStats, slowCarMaxCount, type SumoSeedFigures } from './sumo-seed-spread.js';
import { addAgreement, agreementLine, emptyAgreement } from './traffic-sumo-queue.js';

export const OSM_SUMMARY_TAG = 'CB_OSM_SUMMARY';

const pct = (ours: number | undefined, theirs: number | undefined) =>
  ours === undefined || theirs === undefined || !Number.isFinite(ours / theirs)
    ? Number.NaN
    : (ours / theirs - 1) * 100;

/** Runs `script` once per seed of the comma-separated `seedList` and prints each run's output, a table and ranges. */
export function runSeeds(seedList: string, script: string): void {
  const seeds = seedList.split(',').map((s) => Number(s.trim()));
  if (seeds.some((s) => !Number.isInteger(s)))
    throw new Error(`CB_OSM_SEEDS: expected whole numbers, got "${seedList}"`);
  const summaries: OsmSeedSummary[] = [];
  for (const seed of seeds) {
    const { CB_OSM_SEEDS: _all, ...rest } = process.env;
    const env = { ...rest, CB_OSM_SEED: String(seed) };
    const child = spawnSync(process.execPath, [...process.execArgv, script], {
      env,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    console.log(`\n===== seed ${seed} (load average ${loadavg()[0]!.toFixed(2)}) =====`);
    const lines = child.stdout.split('\n');
    console.log(lines.filter((l) => !l.startsWith(OSM_SUMMARY_TAG)).join('\n'));
    const line = lines.find((l) => l.startsWith(OSM_SUMMARY_TAG));
    if (child.status !== 0 || line === undefined) {
      console.log(`seed ${seed}: run failed (${child.status}): ${child.stderr.slice(-1000)}`);
      continue;
    }
    summaries.push(JSON.parse(line.slice(OSM_SUMMARY_TAG.length + 1)) as OsmSeedSummary);
  }
  printTable(summaries);
  printSeedMeanTable(summaries);
}

/**
 * citybay against the mean of SUMO's seeds per demand seed (CB_SUMO_SEEDS runs of SUMO micro on the same routes), with
 * SUMO's own spread ((max − min) / mean) per figure, and how many of SUMO's runs had their max queue on a car below
 * 5 km/h on a ≤ 10 km/h lane with no standing car that far back (a dawdling car on a living street).
 */
function printSeedMeanTable(summaries: readonly OsmSeedSummary[]): void {
  const rows = summaries.filter((s) => s.ours !== undefined && (s.microSeeds?.length ?? 0) > 1);
  if (rows.length === 0) return;
  type Ours = NonNullable<OsmSeedSummary['ours']>;
  // citybay read as SUMO is: the mean over its run seeds when it ran them (demand seed + 0, 1, …), else its one run.
  const oursOf = (s: OsmSeedSummary): Ours => {
    const runs = s.oursSeeds ?? [];
    if (runs.length === 0) return s.ours!;
    const at = (f: (r: (typeof runs)[number]) => number) => seedStats(runs.map(f)).mean;
    return {
      ...s.ours!,
      meanTravelS: at((r) => r.meanTravelS),
      maxQueueM: at((r) => r.maxQueueM),
      meanQueueM: at((r) => r.meanQueueM),
      notFinished: at((r) => r.notFinished),
    };
  };
  // citybay's figure, SUMO's: the queue-output's as before, then SUMO's FCD read as chain queues (traffic-sumo-queue.ts).
  const figures: Array<[string, (r: Ours) => number, (r: SumoSeedFigures) => number]> = [
    ['travel time', (r) => r.meanTravelS, (r) => r.meanTravelS],
    ['max queue', (r) => r.maxQueueM, (r) => r.maxQueueM],
    ['mean queue', (r) => r.meanQueueM, (r) => r.meanQueueM],
    ['max, chain', (r) => r.maxQueueM, (r) => r.chainMaxQueueM ?? Number.NaN],
    ['mean, chain', (r) => r.meanQueueM, (r) => r.chainMeanQueueM ?? Number.NaN],
  ];
  console.log(
    "\nBenchmark (c) per seed, citybay's seed mean vs SUMO micro's (run seed and --seed = demand seed + 0, 1, …); in brackets SUMO's spread, (max − min) / mean",
  );
  console.log(
    `${'seed'.padStart(5)} ${'SUMO runs'.padStart(9)} ${figures.map(([name]) => name.padStart(22)).join(' ')} ${'max m: ours (min–max) / SUMO mean (min–max), chain'.padStart(66)} ${'max = slow car'.padStart(15)} ${'SUMO tp'.padStart(8)}`,
  );
  const diffs = figures.map(() => [] as number[]);
  for (const s of rows) {
    const runs = s.microSeeds!;
    const cells = figures.map(([, ourFigure, sumoOf], i) => {
      const stats = seedStats(runs.map(sumoOf));
      const diff = pctDiff(ourFigure(oursOf(s)), stats.mean);
      diffs[i]!.push(diff);
      return `${diff.toFixed(1)}% (${(((stats.max - stats.min) / stats.mean) * 100).toFixed(0)}%)`.padStart(22);
    });
    const max = seedStats(runs.map((r) => r.maxQueueM));
    const chain = seedStats(runs.map((r) => r.chainMaxQueueM ?? Number.NaN));
    const ourMax = seedStats((s.oursSeeds ?? []).map((r) => r.maxQueueM));
    const ourMaxText =
      ourMax.n > 1
        ? `${ourMax.mean.toFixed(1)} (${ourMax.min.toFixed(1)}–${ourMax.max.toFixed(1)})`
        : s.ours!.maxQueueM.toFixed(1);
    const maxText =
      `${ourMaxText} / ${max.mean.toFixed(1)} (${max.min.toFixed(1)}–${max.max.toFixed(1)})` +
      ` chain ${chain.mean.toFixed(1)} (${chain.min.toFixed(1)}–${chain.max.toFixed(1)})`;
    const teleports = runs.map((r) => r.teleports).join(',');
    console.log(
      `${String(s.seed).padStart(5)} ${String(runs.length).padStart(9)} ${cells.join(' ')} ${maxText.padStart(66)} ${`${slowCarMaxCount(runs)} of ${runs.length}`.padStart(15)} ${teleports.padStart(8)}`,
    );
  }
  const range = (values: number[]) =>
    values.length === 0 ? 'n/a' : `${Math.min(...values).toFixed(1)} to ${Math.max(...values).toFixed(1)}%`;
  console.log(
    `range over ${rows.length} seeds against SUMO's seed mean: ${figures.map(([name], i) => `${name} ${range(diffs[i]!)}`).join('; ')}`,
  );
  console.log(
    `target (within 10% of SUMO's seed mean): ${figures.map(([name], i) => `${name} ${diffs[i]!.every((d) => Math.abs(d) <= 10) ? 'met' : 'NOT met'}`).join(', ')}`,
  );
  const all = rows.flatMap((s) => s.microSeeds!);
  console.log(
    `SUMO's max queue is a slow car with no standing queue that far back (≤ 10 km/h lane) in ${slowCarMaxCount(all)} of ${all.length} SUMO runs`,
  );
  const chained = all.filter((r) => r.chainAgreement !== undefined);
  const agreement = chained.reduce((sum, r) => addAgreement(sum, r.chainAgreement!), emptyAgreement());
  if (chained.length > 0) console.log(agreementLine(agreement, chained.length));
}

function printTable(summaries: readonly OsmSeedSummary[]): void {
  const columns: Array<[string, (s: OsmSeedSummary) => number]> = [
    ['travel time', (s) => pct(s.ours?.meanTravelS, s.micro?.meanTravelS)],
    ['max queue', (s) => pct(s.ours?.maxQueueM, s.micro?.maxQueueM)],
    ['mean queue', (s) => pct(s.ours?.meanQueueM, s.micro?.meanQueueM)],
  ];
  console.log(
    '\nBenchmark (c) per seed, citybay vs SUMO micro (SUMO --seed = demand seed; queue: below 5 km/h or standing, both sides)',
  );
  console.log(
    `${'seed'.padStart(5)} ${'trips'.padStart(6)} ${columns.map(([name]) => name.padStart(15)).join(' ')} ${'max queue m (ours/SUMO)'.padStart(24)} ${'not fin.'.padStart(9)} ${'not legal'.padStart(9)} ${'SUMO tp'.padStart(8)} ${'export err/tp/src tp/runs≠'.padStart(26)} ${'not dua'.padStart(8)}`,
  );
  for (const s of summaries) {
    const cells = columns.map(([, f]) => `${f(s).toFixed(1)}%`.padStart(15));
    const maxes = `${s.ours?.maxQueueM.toFixed(1) ?? 'n/a'}/${s.micro?.maxQueueM.toFixed(1) ?? 'n/a'}`;
    const notFinished = `${s.ours?.notFinished ?? 'n/a'}/${s.micro?.notFinished ?? 'n/a'}`;
    const exported =
      s.export === undefined
        ? 'rejected'
        : `${s.export.errors}/${s.export.teleports}/${s.export.sourceTeleports}/${s.export.runsDiffering}`;
    console.log(
      `${String(s.seed).padStart(5)} ${String(s.trips).padStart(6)} ${cells.join(' ')} ${maxes.padStart(24)} ${notFinished.padStart(9)} ${String(s.notCarLegal).padStart(9)} ${String(s.micro?.teleports ?? 'n/a').padStart(8)} ${exported.padStart(26)} ${String(s.routesDiffering ?? 'n/a').padStart(8)}`,
    );
  }
  const range = (f: (s: OsmSeedSummary) => number) => {
    const values = summaries.map(f).filter(Number.isFinite);
    return values.length === 0 ? 'n/a' : `${Math.min(...values).toFixed(1)} to ${Math.max(...values).toFixed(1)}%`;
  };
  console.log(`range over ${summaries.length} seeds: ${columns.map(([name, f]) => `${name} ${range(f)}`).join('; ')}`);
  const within = (f: (s: OsmSeedSummary) => number) => summaries.every((s) => Math.abs(f(s)) <= 10);
  console.log(
    `target (issue 15: within 10%, car-legal, export 0 errors and no teleport the route file has not in the same SUMO run): ${columns
      .slice(0, 3)
      .map(([name, f]) => `${name} ${within(f) ? 'met' : 'NOT met'}`)
      .join(
        ', ',
      )}; routes ${summaries.every((s) => s.notCarLegal === 0) ? 'all car-legal' : 'NOT all car-legal'}; export ${summaries.every((s) => s.export !== undefined && s.export.errors === 0 && s.export.beyondSource === 0) ? 'accepted on every seed' : 'NOT clean on every seed'}, tripinfo ${summaries.every((s) => s.export?.runsDiffering === 0) ? "the route file's in every SUMO run" : 'DIFFERENT in some SUMO runs'}`,
  );
}
