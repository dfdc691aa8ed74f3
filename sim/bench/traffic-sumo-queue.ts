// One queue definition applied to SUMO's vehicle states (issue 15, benchmarks (a)–(c)): SUMO micro's FCD output (every
// car's lane, position and speed at the queue sample period) read as a traffic engineer reads a queue (HCM: a line of
// vehicles stopped or crawling, joined to the stop line), beside SUMO's queue-output, which also counts a lone car
// dawdling below 5 km/h in mid-lane with nothing standing (`queueing_length_experimental`: the max of 35 of 50 SUMO
// runs on benchmark (c), 7 Dec). citybay's QueueRecorder counts a joined chain by construction: the cars of a lane in
// order from its head, up to the first that has not reached its place in the queue (`laneQueuePlaces`).
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { errors } from '../src/errors.js';
import { readXmlElements } from '../src/sumo/sumo-xml-reader.js';
import { queueFigures } from './traffic-compare.js';

export interface ChainQueueDefinition {
  /** Below this a car is crawling or standing: SUMO's queue speed threshold (5 km/h), the same as before. */
  speedThresholdMps: number;
  /**
   * How far back from the lane's end the first car's front may be at standstill (m) and still head the queue, plus
   * its speed × followTimeS: it follows the stop position with one car place of slack, 1 m + 7.5 m + 5 m. SUMO's first
   * standing car stands 1.0 m short of the end at a traffic light, 0.1 m at a priority junction (FCD, (c) seed 42:
   * 2,286 of 2,441 standing first cars at 1.0 m, 112 at 0–0.2 m), or one car place further back behind a car across
   * the line (8.5 m, 31, 1.3%); while a queue discharges, the lane's first car is one that stood a place or more back
   * and rolls up to the line (demand seed 7, `--seed 10`, 1,920 s on `143308552#1_1`: 11.3 m at 2.88 m/s, the rest
   * standing behind it; with 9 m that queue read 0).
   */
  firstCarFromEndM: number;
  /**
   * The gap (rear of the car ahead to the front of the next, m) that joins a car to the one ahead at standstill, and
   * the time gap added per m/s of the joining car's speed (s): a car keeping SUMO Krauss's following distance (minGap
   * 2.5 m + v · τ, τ = 1 s) plus its dawdling. Measured (FCD, 7 Dec): consecutive standing cars 2.5–2.6 m apart;
   * consecutive cars below 5 km/h 2.5–3.5 m on (c) seed 42, on (a)'s creeping lot queue 99% ≤ 4.0 m and 99.98% ≤ 5 m
   * (156,853 pairs); the moving cars of a stop-and-go queue keep more (5.2 m at 3.7 m/s): 5 m + v · 1 s, v the faster
   * of the two (a queue discharging after a red on (a): 9.4 m behind a car moving off at 5.8 m/s, the follower at 3.3
   * m/s; with the follower's speed alone 136 lane samples of one (a) run read 0 where cars stood, 41 with the faster).
   */
  jamGapM: number;
  followTimeS: number;
  /** SUMO's car length (export-sumo's and randomTrips' vType: 5 m). */
  carLengthM: number;
}

export const CHAIN_QUEUE: ChainQueueDefinition = {
  speedThresholdMps: 5 / 3.6,
  firstCarFromEndM: 13.5,
  jamGapM: 5,
  followTimeS: 1,
  carLengthM: 5,
};

/** One car on a lane at one sample: its front's position along the lane (m) and its speed. */
export interface LaneCar {
  posM: number;
  speedMps: number;
}

/**
 * A lane's queue (m) from the cars on it: the line of cars joined to the stop line — the first within
 * `firstCarFromEndM` + its speed × followTimeS of the lane's end or following a car across the line in the junction (`junctionRearM`: that
 * car's rear measured along the lane, length + its position on the junction lane − its length), each next one
 * following the car ahead (gap ≤ jamGapM + the faster one's speed × followTimeS) — from the lane's end to the rear of the last car
 * of that line below the speed threshold, as SUMO's queue-output measures a length (end − pos + car length). A car
 * moving off at the head or rolling in a stop-and-go queue does not end the queue behind it while the cars behind
 * still follow it closely (citybay's recorder keeps a discharging queue until the start wave reaches its tail). A slow
 * car not joined — a lone car dawdling in mid-lane, with nothing ahead it follows — is not in the queue.
 */
export function chainQueueM(
  cars: readonly LaneCar[],
  laneLengthM: number,
  definition: ChainQueueDefinition = CHAIN_QUEUE,
  junctionRearM?: number,
): number {
  const fromEnd = [...cars].sort((a, b) => b.posM - a.posM);
  // The faster of the two sets the gap: a follower keeps its own following distance, and a leader moving off from a
  // queue opens the gap at its speed while the start wave has not yet reached the follower.
  const follows = (car: LaneCar, aheadRearM: number, aheadSpeedMps: number) =>
    aheadRearM - car.posM <= definition.jamGapM + Math.max(car.speedMps, aheadSpeedMps) * definition.followTimeS;
  let queueM = 0;
  let aheadRearM = Number.NaN;
  let aheadSpeedMps = 0;
  for (const [i, car] of fromEnd.entries()) {
    const joined =
      i === 0
        ? laneLengthM - car.posM <= definition.firstCarFromEndM + car.speedMps * definition.followTimeS ||
          (junctionRearM !== undefined && follows(car, junctionRearM, 0))
        : follows(car, aheadRearM, aheadSpeedMps);
    if (!joined) break;
    if (car.speedMps < definition.speedThresholdMps) queueM = laneLengthM - car.posM + definition.carLengthM;
    aheadRearM = car.posM - definition.carLengthM;
    aheadSpeedMps = car.speedMps;
  }
  return queueM;
}

/** How the chain queue compares with SUMO's queue-output (`sumoLaneQueueM`) over the lane samples where either is > 0. */
export interface ChainAgreement {
  /** Both the same (to 5 cm), with a standing car (`queueing_length` > 0) or only slow ones. */
  agreeStanding: number;
  agreeSlow: number;
  /** Chain 0, queue-output only cars below 5 km/h with none standing: a slow car not joined to the stop position. */
  loneSlow: number;
  /** Chain 0 with a standing car: not joined to the stop line (e.g. a car waiting to merge mid-lane, or at a gap). */
  standingNotJoined: number;
  /**
   * Both > 0, the chain longer: mostly cars crawling (not standing) in the lane's first quarter, which the queue-output
   * leaves out of `queueing_length_experimental`; or shorter: a gap in the line wider than a following distance.
   */
  longer: number;
  shorter: number;
}

export const emptyAgreement = (): ChainAgreement => ({
  agreeStanding: 0,
  agreeSlow: 0,
  loneSlow: 0,
  standingNotJoined: 0,
  longer: 0,
  shorter: 0,
});

export function addAgreement(into: ChainAgreement, more: ChainAgreement): ChainAgreement {
  for (const key of Object.keys(into) as Array<keyof ChainAgreement>) into[key] += more[key];
  return into;
}

/** Classifies one lane sample: chain queue against queue-output's `queueing_length` (standing) and experimental (slow). */
export function classifySample(into: ChainAgreement, chainM: number, standingM: number, slowM: number): void {
  const outputM = Math.max(standingM, slowM);
  if (chainM <= 0 && outputM <= 0) return;
  if (Math.abs(chainM - outputM) < 0.05) {
    if (standingM > 0) into.agreeStanding++;
    else into.agreeSlow++;
  } else if (chainM <= 0) {
    if (standingM > 0) into.standingNotJoined++;
    else into.loneSlow++;
  } else if (chainM > outputM) into.longer++;
  else into.shorter++;
}

export function agreementLine(a: ChainAgreement, runs: number): string {
  const total = a.agreeStanding + a.agreeSlow + a.loneSlow + a.standingNotJoined + a.longer + a.shorter;
  const pct = (n: number) => `${((100 * n) / Math.max(1, total)).toFixed(1)}%`;
  return (
    `chain queue (SUMO FCD) vs queue-output over ${runs} SUMO runs, ${total} lane samples with a queue in either: ` +
    `${pct(a.agreeStanding + a.agreeSlow)} the same (${a.agreeStanding} with standing cars, ${a.agreeSlow} slow only); ` +
    `${a.loneSlow} (${pct(a.loneSlow)}) only a slow car not joined to the stop line (chain 0, by design); ` +
    `${a.standingNotJoined} (${pct(a.standingNotJoined)}) standing cars not joined to it (chain 0); ` +
    `chain longer ${a.longer} (${pct(a.longer)}), shorter ${a.shorter} (${pct(a.shorter)})`
  );
}

interface NetLanes {
  /** Lengths of the net's lanes, internal (junction) lanes left out. */
  lengths: Map<string, number>;
  /** Each junction lane a connection enters first (`via`): the lane it comes from. */
  viaFrom: Map<string, string>;
}

const netLaneCache = new Map<string, NetLanes>();

/** A net's lanes, read once per net file. */
export function netLanes(netFile: string): NetLanes {
  const cached = netLaneCache.get(netFile);
  if (cached !== undefined) return cached;
  const lanes: NetLanes = { lengths: new Map(), viaFrom: new Map() };
  readXmlElements(readFileSync(netFile, 'utf8'), 'net', errors.CB_NETWORK_INVALID, {
    onOpen({ name, attributes: a }) {
      if (name === 'lane' && !(a.id ?? ':').startsWith(':')) lanes.lengths.set(a.id!, Number(a.length));
      if (name === 'connection' && a.via !== undefined && !(a.from ?? ':').startsWith(':'))
        lanes.viaFrom.set(a.via, `${a.from}_${a.fromLane}`);
    },
  });
  netLaneCache.set(netFile, lanes);
  return lanes;
}

/** SUMO's options for the FCD this reading needs: lane, position and speed every `periodS`. */
export function fcdArgs(periodS: number): string[] {
  return [
    ...['--fcd-output', 'fcd.xml', '--device.fcd.period', String(periodS)],
    ...['--fcd-output.attributes', 'speed,lane,pos'],
  ];
}

export interface ChainQueues {
  /** Per edge, per minute: the longest lane chain queue at the samples (m), as the queue-output series are kept. */
  byEdgeMinute: Map<string, Float64Array>;
  agreement: ChainAgreement;
}

/**
 * Reads `fcd.xml` and `queues.xml` of a SUMO run in `dir` (both at the same period), computes every lane's chain
 * queue at every sample, keeps per edge and minute the longest, and counts the agreement with queue-output. Deletes
 * `fcd.xml` after.
 */
export function readChainQueues(dir: string, netFile: string, endS: number, edges: ReadonlySet<string>): ChainQueues {
  const { lengths, viaFrom } = netLanes(netFile);
  const isMeasured = (lane: string | undefined) =>
    lane !== undefined && lengths.has(lane) && edges.has(lane.replace(/_\d+$/, ''));
  const minutes = Math.ceil(endS / 60) + 1;
  const chains = new Map<string, number>();
  let timeS = 0;
  let onLane = new Map<string, LaneCar[]>();
  // Per lane: the rear (along the lane) of the car across its stop line in the junction reaching furthest back.
  let junctionRear = new Map<string, number>();
  const closeSample = () => {
    for (const [lane, cars] of onLane) {
      const queueM = chainQueueM(cars, lengths.get(lane)!, CHAIN_QUEUE, junctionRear.get(lane));
      if (queueM > 0) chains.set(`${timeS}|${lane}`, queueM);
    }
    onLane = new Map();
    junctionRear = new Map();
  };
  const fcdPath = join(dir, 'fcd.xml');
  readXmlElements(readFileSync(fcdPath, 'utf8'), 'fcd.xml', errors.CB_SUMO_OUTPUT_INVALID, {
    onOpen({ name, attributes: a }) {
      if (name === 'timestep') {
        closeSample();
        timeS = Number(a.time);
      } else if (name === 'vehicle' && isMeasured(a.lane)) {
        const cars = onLane.get(a.lane!) ?? [];
        cars.push({ posM: Number(a.pos), speedMps: Number(a.speed) });
        onLane.set(a.lane!, cars);
      } else if (name === 'vehicle' && viaFrom.has(a.lane ?? '')) {
        const from = viaFrom.get(a.lane!)!;
        const rearM = (lengths.get(from) ?? 0) + Number(a.pos) - CHAIN_QUEUE.carLengthM;
        if (rearM < (junctionRear.get(from) ?? Number.POSITIVE_INFINITY)) junctionRear.set(from, rearM);
      }
    },
  });
  closeSample();
  rmSync(fcdPath);
  const byEdgeMinute = new Map<string, Float64Array>();
  const keep = (lane: string, t: number, queueM: number) => {
    const edge = lane.replace(/_\d+$/, '');
    let series = byEdgeMinute.get(edge);
    if (series === undefined) byEdgeMinute.set(edge, (series = new Float64Array(minutes)));
    const minute = Math.min(minutes - 1, Math.floor(t / 60));
    if (queueM > series[minute]!) series[minute] = queueM;
  };
  for (const [key, queueM] of chains) {
    const [t, lane] = key.split('|') as [string, string];
    keep(lane, Number(t), queueM);
  }
  const agreement = emptyAgreement();
  const seen = new Set<string>();
  readXmlElements(readFileSync(join(dir, 'queues.xml'), 'utf8'), 'queues.xml', errors.CB_SUMO_OUTPUT_INVALID, {
    onOpen({ name, attributes: a }) {
      if (name === 'data') timeS = Number(a.timestep);
      if (name !== 'lane' || !isMeasured(a.id)) return;
      const key = `${timeS}|${a.id}`;
      seen.add(key);
      const standingM = Number(a.queueing_length ?? 0);
      classifySample(agreement, chains.get(key) ?? 0, standingM, Number(a.queueing_length_experimental ?? 0));
    },
  });
  for (const [key, queueM] of chains) if (!seen.has(key)) classifySample(agreement, queueM, 0, 0);
  return { byEdgeMinute, agreement };
}

/** Max and mean of the chain queues over `edges` × `minutes`, as every benchmark queue figure (`queueFigures`). */
export function chainFigures(
  chains: ChainQueues | undefined,
  edges: Iterable<string>,
  minutes: number,
): { chainMaxQueueM: number; chainMeanQueueM: number; chainMaxAt: string } | undefined {
  if (chains === undefined) return undefined;
  const figures = queueFigures(chains.byEdgeMinute, edges, minutes);
  return { chainMaxQueueM: figures.maxQueueM, chainMeanQueueM: figures.meanQueueM, chainMaxAt: figures.maxAt };
}
