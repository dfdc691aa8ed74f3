// How much SUMO micro's own figures move with its random seed (`--seed`: the driver imperfection σ = 0.5 draws, the
// speed factors, departure lanes), on the same network and routes. Every benchmark figure of SUMO is one stochastic
// run; a max queue is one 10-s sample of one lane in it. These helpers sum up several seeds of one case and print
// citybay's figure against SUMO's seed mean beside the single run the benchmarks compared with before (sim/README.md,
// benchmarks (b) and (c)).
import { medianWithInterval } from '@citybay/common/testing';
import type { SumoRunFigures } from './sumo-osm-support.js';
import { queueFigures } from './traffic-compare.js';
import { addAgreement, agreementLine, emptyAgreement, type ChainAgreement } from './traffic-sumo-queue.js';

/** The figures both simulators give for one run seed. */
interface SeedFigures {
  seed: number;
  meanTravelS: number;
  /** Through traffic alone (benchmark (a), where it differs from all cars). */
  meanThroughS?: number;
  maxQueueM: number;
  meanQueueM: number;
  notFinished: number;
}

/** SUMO micro's figures of one run (one `--seed`). */
export interface SumoSeedFigures extends SeedFigures {
  teleports: number;
  /** What the max queue was, in words (`maxSampleText`). */
  maxWhat: string;
  /** The max queue's sample, and its lane's speed limit (m/s). */
  maxSample?: SumoQueueSample;
  maxLaneSpeedMps?: number;
  /** A diagnostic, not a target: the max queue over lanes faster than 3 m/s (living streets left out), and where. */
  maxFastM?: number;
  maxFastAt?: string;
  /** The same run's max and mean queue under the chain definition (SUMO FCD, traffic-sumo-queue.ts), and where. */
  chainMaxQueueM?: number;
  chainMeanQueueM?: number;
  chainMaxAt?: string;
  /** How the chain queue compared with the queue-output, lane sample by lane sample. */
  chainAgreement?: ChainAgreement;
}

/** The edges whose speed limit is above 3 m/s (10 km/h living streets, stored as 2.78 m/s, left out). */
export function fasterThanLivingStreets(speedOf: ReadonlyMap<string, number>, edges: Iterable<string>): string[] {
  return [...edges].filter((id) => (speedOf.get(id) ?? Number.POSITIVE_INFINITY) > 3);
}

/**
 * One SUMO seed's figures for the spread: the bench's own reading of the run (`figures`), what its max queue was, and
 * with `fastEdges` the max over those edges alone.
 */
export function sumoSeedFigures(
  seed: number,
  figures: {
    meanTravelS: number;
    meanThroughS?: number;
    maxQueueM: number;
    meanQueueM: number;
    notFinished: number;
    chainMaxQueueM?: number;
    chainMeanQueueM?: number;
    chainMaxAt?: string;
  },
  run: Pick<SumoRunFigures, 'teleports' | 'maxSample' | 'queueByEdgeMinute' | 'chainQueues'>,
  speedOf: ReadonlyMap<string, number>,
  minutes: number,
  fastEdges?: readonly string[],
): SumoSeedFigures {
  const laneSpeed = speedOf.get(run.maxSample?.laneId.replace(/_\d+$/, '') ?? '');
  const fast =
    fastEdges === undefined || run.queueByEdgeMinute === undefined
      ? undefined
      : queueFigures(run.queueByEdgeMinute, fastEdges, minutes);
  return {
    seed,
    meanTravelS: figures.meanTravelS,
    ...(figures.meanThroughS === undefined ? {} : { meanThroughS: figures.meanThroughS }),
    maxQueueM: figures.maxQueueM,
    meanQueueM: figures.meanQueueM,
    notFinished: figures.notFinished,
    teleports: run.teleports,
    maxWhat: maxSampleText(run.maxSample, laneSpeed),
    ...(run.maxSample === undefined ? {} : { maxSample: run.maxSample, maxLaneSpeedMps: laneSpeed }),
    ...(fast === undefined ? {} : { maxFastM: fast.maxQueueM, maxFastAt: fast.maxAt }),
    ...(figures.chainMaxQueueM === undefined || figures.chainMeanQueueM === undefined
      ? {}
      : {
          chainMaxQueueM: figures.chainMaxQueueM,
          chainMeanQueueM: figures.chainMeanQueueM,
          chainMaxAt: figures.chainMaxAt ?? '',
        }),
    ...(run.chainQueues === undefined ? {} : { chainAgreement: run.chainQueues.agreement }),
  };
}

export interface SeedStats {
  n: number;
  mean: number;
  median: number;
  min: number;
  max: number;
  /** Sample standard deviation (n − 1); 0 for one value. */
  sd: number;
}

/** Mean, median, min, max and sample standard deviation of one figure over SUMO's seeds (NaN values left out). */
export function seedStats(values: readonly number[]): SeedStats {
  const kept = values.filter(Number.isFinite).sort((a, b) => a - b);
  const n = kept.length;
  if (n === 0) return { n, mean: Number.NaN, median: Number.NaN, min: Number.NaN, max: Number.NaN, sd: Number.NaN };
  const mean = kept.reduce((a, b) => a + b, 0) / n;
  const sd = n < 2 ? 0 : Math.sqrt(kept.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  return { n, mean, median: medianWithInterval(kept).median, min: kept[0]!, max: kept[n - 1]!, sd };
}

/**
 * The SUMO seeds of a case: `first` (the seed its single reference run has always used, so that run stays in the set
 * and today's comparison line stays comparable with history), then `first + 1`, … up to `count` seeds.
 */
export function sumoSeeds(first: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => first + i);
}

/** The seed count from an environment variable (`CB_SUMO_SEEDS`), or `fallback` when unset; at least 1. */
export function sumoSeedCount(text: string | undefined, fallback: number): number {
  if (text === undefined || text.trim() === '') return fallback;
  const count = Number(text);
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`CB_SUMO_SEEDS: expected a whole number ≥ 1, got "${text}"`);
  return count;
}

/** `(ours − theirs) / theirs` in per cent, NaN when undefined. */
export function pctDiff(ours: number, theirs: number): number {
  return Number.isFinite(ours) && Number.isFinite(theirs) && theirs !== 0 ? (ours / theirs - 1) * 100 : Number.NaN;
}

const signed = (pct: number) => (Number.isFinite(pct) ? `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%` : 'n/a');

/**
 * One figure: citybay against SUMO's single run (the seed compared with so far) and against the mean of SUMO's
 * seeds, with SUMO's median, range, spread ((max − min) / mean) and standard deviation (as % of the mean: how far one
 * run of SUMO strays; the mean of n runs strays by that / √n).
 */
export function spreadLine(name: string, ours: number, single: number, stats: SeedStats, digits = 1): string {
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');
  const inRange = ours >= stats.min && ours <= stats.max ? 'inside' : 'outside';
  const sdPct = (stats.sd / stats.mean) * 100;
  return (
    `  ${name.padEnd(17)} citybay ${f(ours)} | SUMO single run ${f(single)}: ${signed(pctDiff(ours, single))} | ` +
    `SUMO mean of ${stats.n} ${f(stats.mean)}: ${signed(pctDiff(ours, stats.mean))} (median ${f(stats.median)}, ` +
    `${f(stats.min)}–${f(stats.max)}, spread ${(((stats.max - stats.min) / stats.mean) * 100).toFixed(1)}%, ` +
    `sd ${sdPct.toFixed(1)}% of the mean, of the mean ±${(sdPct / Math.sqrt(stats.n)).toFixed(1)}%; citybay ${inRange} SUMO's range)`
  );
}

/** The largest lane sample of a SUMO queue-output: where, when, and its two readings (`sumoLaneQueueM`). */
export interface SumoQueueSample {
  laneId: string;
  timeS: number;
  /** `queueing_length`: to the rear of the last standing car (waiting time > 0). */
  standingM: number;
  /** `queueing_length_experimental`: to the rear of the last car below 5 km/h in the lane's last three quarters. */
  slowM: number;
}

/**
 * Whether a max queue is a standing queue or only a car below 5 km/h with no standing car that far back (a car
 * dawdling on a slow street reads as a queue from its rear to the lane's end), and the lane's speed limit.
 */
export function maxSampleText(sample: SumoQueueSample | undefined, laneSpeedMps: number | undefined): string {
  if (sample === undefined) return 'no queue';
  const speed = laneSpeedMps === undefined ? '' : `, lane ${laneSpeedMps.toFixed(2)} m/s`;
  const what =
    sample.standingM >= sample.slowM
      ? `standing queue ${sample.standingM.toFixed(1)} m`
      : `a car below 5 km/h at ${sample.slowM.toFixed(1)} m, standing cars ${sample.standingM.toFixed(1)} m`;
  return `${sample.laneId} at ${sample.timeS} s: ${what}${speed}`;
}

/**
 * True when the max is a slow car with no standing queue that far back, on a lane of at most `slowLaneMps` (default
 * 3 m/s: a 10 km/h living street, which SUMO nets store as 2.78 m/s).
 */
export function isSlowCarSample(
  sample: SumoQueueSample | undefined,
  laneSpeedMps: number | undefined,
  slowLaneMps = 3,
): boolean {
  return (
    sample !== undefined && sample.slowM > sample.standingM && laneSpeedMps !== undefined && laneSpeedMps <= slowLaneMps
  );
}

/** The per-figure lines of a case: citybay vs SUMO's single run and vs its seed mean, one line per SUMO seed first. */
export function seedSpreadLines(
  ours: { meanTravelS: number; meanThroughS?: number; maxQueueM: number; meanQueueM: number; maxFastM?: number },
  single: { meanTravelS: number; meanThroughS?: number; maxQueueM: number; meanQueueM: number },
  runs: readonly SumoSeedFigures[],
): string[] {
  const lines = [
    `SUMO micro over ${runs.length} seeds (--seed ${runs.map((r) => r.seed).join(', ')}; the first is the single run above):`,
  ];
  for (const r of runs) {
    lines.push(
      `  --seed ${String(r.seed).padEnd(4)} travel ${r.meanTravelS.toFixed(1)} s, max queue ${r.maxQueueM.toFixed(1)} m, mean queue ${r.meanQueueM.toFixed(3)} m, ${r.notFinished} not finished, ${r.teleports} teleports; max: ${r.maxWhat}${r.maxFastM === undefined ? '' : `; lanes > 3 m/s: ${r.maxFastM.toFixed(1)} m (${r.maxFastAt})`}${r.chainMaxQueueM === undefined ? '' : `; chain queue max ${r.chainMaxQueueM.toFixed(1)} m (${r.chainMaxAt}), mean ${r.chainMeanQueueM!.toFixed(3)} m`}`,
    );
  }
  lines.push(
    spreadLine('mean travel (s)', ours.meanTravelS, single.meanTravelS, seedStats(runs.map((r) => r.meanTravelS))),
  );
  // Through traffic alone, where it is a figure of its own (not every car through traffic).
  const through = runs.map((r) => r.meanThroughS ?? Number.NaN);
  if (
    ours.meanThroughS !== undefined &&
    single.meanThroughS !== undefined &&
    through.every(Number.isFinite) &&
    runs.some((r) => r.meanThroughS !== r.meanTravelS)
  ) {
    lines.push(spreadLine('  through (s)', ours.meanThroughS, single.meanThroughS, seedStats(through)));
  }
  lines.push(
    spreadLine('max queue (m)', ours.maxQueueM, single.maxQueueM, seedStats(runs.map((r) => r.maxQueueM))),
    spreadLine('mean queue (m)', ours.meanQueueM, single.meanQueueM, seedStats(runs.map((r) => r.meanQueueM)), 3),
  );
  lines.push(...chainSpreadLines(ours, runs));
  const fast = runs.map((r) => r.maxFastM ?? Number.NaN);
  if (ours.maxFastM !== undefined && fast.every(Number.isFinite)) {
    lines.push(
      `${spreadLine('max, > 3 m/s (m)', ours.maxFastM, fast[0]!, seedStats(fast))} [diagnostic: living streets left out]`,
    );
  }
  return lines;
}

/** How many of SUMO's runs have their max queue on a slow car with no standing queue that far back (`isSlowCarSample`). */
export function slowCarMaxCount(runs: readonly SumoSeedFigures[]): number {
  return runs.filter((r) => isSlowCarSample(r.maxSample, r.maxLaneSpeedMps)).length;
}

/**
 * citybay's queue figures against SUMO's read as chain queues (traffic-sumo-queue.ts: cars below 5 km/h joined to the
 * stop line), over the seeds that have them, and the agreement of that reading with the queue-output.
 */
export function chainSpreadLines(
  ours: { maxQueueM: number; meanQueueM: number },
  runs: readonly SumoSeedFigures[],
): string[] {
  const chained = runs.filter((r) => r.chainMaxQueueM !== undefined && r.chainMeanQueueM !== undefined);
  if (chained.length === 0) return [];
  const maxes = chained.map((r) => r.chainMaxQueueM!);
  const means = chained.map((r) => r.chainMeanQueueM!);
  const agreement = chained.reduce(
    (sum, r) => (r.chainAgreement === undefined ? sum : addAgreement(sum, r.chainAgreement)),
    emptyAgreement(),
  );
  return [
    spreadLine('max, chain (m)', ours.maxQueueM, maxes[0]!, seedStats(maxes)),
    spreadLine('mean, chain (m)', ours.meanQueueM, means[0]!, seedStats(means), 3),
    `  ${agreementLine(agreement, chained.length)}`,
  ];
}

/** citybay's figures of one run seed: the same trips, each driver's speed factor drawn from that seed. */
export interface OurSeedFigures extends SeedFigures {
  /** Where the max queue was. */
  maxAt?: string;
}

/** `mean (min–max, sd % of the mean)` of one figure over seeds. */
function statsText(stats: SeedStats, digits: number): string {
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');
  return `${f(stats.mean)} (${f(stats.min)}–${f(stats.max)}, sd ${((stats.sd / stats.mean) * 100).toFixed(1)}%)`;
}

/**
 * citybay read as SUMO is: its run over the same seeds (run seed = demand seed + k, as SUMO's `--seed`), one line per
 * seed, then each figure as citybay's seed mean against SUMO's seed mean (both with their range and standard deviation).
 */
export function ourSeedLines(ours: readonly OurSeedFigures[], runs: readonly SumoSeedFigures[]): string[] {
  if (ours.length === 0 || runs.length === 0) return [];
  const lines = [
    `citybay over ${ours.length} seeds (run seed ${ours.map((r) => r.seed).join(', ')}: the drivers' speed factors drawn from it), seed mean against SUMO's seed mean:`,
  ];
  for (const r of ours) {
    lines.push(
      `  seed ${String(r.seed).padEnd(4)} travel ${r.meanTravelS.toFixed(1)} s, max queue ${r.maxQueueM.toFixed(1)} m${r.maxAt === undefined ? '' : ` (${r.maxAt})`}, mean queue ${r.meanQueueM.toFixed(3)} m, ${r.notFinished} not finished`,
    );
  }
  const figures: Array<[string, (r: OurSeedFigures) => number, (r: SumoSeedFigures) => number, number]> = [
    ['mean travel (s)', (r) => r.meanTravelS, (r) => r.meanTravelS, 1],
    ['max queue (m)', (r) => r.maxQueueM, (r) => r.maxQueueM, 1],
    ['mean queue (m)', (r) => r.meanQueueM, (r) => r.meanQueueM, 3],
    ['max, chain (m)', (r) => r.maxQueueM, (r) => r.chainMaxQueueM ?? Number.NaN, 1],
    ['mean, chain (m)', (r) => r.meanQueueM, (r) => r.chainMeanQueueM ?? Number.NaN, 3],
  ];
  if (ours.every((r) => r.meanThroughS !== undefined) && runs.every((r) => r.meanThroughS !== undefined))
    figures.splice(1, 0, ['  through (s)', (r) => r.meanThroughS!, (r) => r.meanThroughS!, 1]);
  for (const [name, ourOf, sumoOf, digits] of figures) {
    const theirs = seedStats(runs.map(sumoOf));
    if (theirs.n === 0) continue;
    const mine = seedStats(ours.map(ourOf));
    lines.push(
      `  ${name.padEnd(17)} citybay mean of ${mine.n} ${statsText(mine, digits)} | SUMO mean of ${theirs.n} ${statsText(theirs, digits)}: ${signed(pctDiff(mine.mean, theirs.mean))}`,
    );
  }
  return lines;
}
