import { subSeed } from '../demand/distributions.js';
import { generateAppointments } from '../demand/generated-appointments.js';
import type { Appointment, BayKind } from '../model/index.js';
import { type ResolvedScenario, prepareScenarioRun, type ScenarioRunOptions } from '../scenario/run-scenario.js';
import { runTrafficSimulation } from '../traffic/traffic-simulation.js';

/** A car entering (`isArrival`) or leaving a bay of `kind` in lot `lotId`, at `atS` seconds after midnight. */
export interface TwinEvent {
  atS: number;
  lotId: string;
  kind: BayKind;
  isArrival: boolean;
  tripId: string;
}

/** The scenario's own geometry, for a map without tiles: nodes (m), links, where lots' gates and signs are. */
export interface TwinMap {
  nodes: Array<{ id: string; xM: number; yM: number }>;
  links: Array<{ id: string; fromNodeId: string; toNodeId: string; laneCount: number; name?: string }>;
  /** Each lot's gate is at the downstream end of its entry link. */
  lots: Array<{ lotId: string; entryEdgeId: string }>;
  /** Each sign stands at the downstream end of its link. */
  signs: Array<{ signId: string; edgeId: string }>;
}

/** One simulated day as the twin replays it: every park and leave in time order, and the approach queue. */
export interface TwinTimeline {
  scenario: string;
  policy: string;
  seed: number;
  startS: number;
  endS: number;
  /** Local midnight of the scenario's day (ms since the epoch). */
  dayStartMs: number;
  lotIds: string[];
  /** Bays taken when the period starts, per lot and kind. */
  initialOccupancy: Record<string, Partial<Record<BayKind, number>>>;
  events: TwinEvent[];
  /** Approach queue (m) of the hospital, maximum over each interval starting at `timesS[i]`. */
  queue: { intervalS: number; timesS: number[]; approachQueueM: number[] };
  /** The day's appointments the demand was built from (before any policy's time spread). */
  appointments: Appointment[];
  map: TwinMap;
  /** Queue (m, maximum over each series interval) of every link that had one, per `queue.timesS` point. */
  linkQueues: { edgeIds: string[]; seriesM: number[][] };
}

function linkQueuesOf(
  edgeIds: readonly string[],
  series: Float32Array | undefined,
  points: number,
): TwinTimeline['linkQueues'] {
  const out: TwinTimeline['linkQueues'] = { edgeIds: [], seriesM: [] };
  if (series === undefined || points === 0) return out;
  edgeIds.forEach((edgeId, e) => {
    const row = Array.from(series.subarray(e * points, (e + 1) * points));
    if (row.some((m) => m > 0)) {
      out.edgeIds.push(edgeId);
      out.seriesM.push(row);
    }
  });
  return out;
}

/**
 * Runs the scenario once (deterministic for its seed) and turns the run into the twin's timeline. A parked car takes
 * the bay kind it asked for when the lot has that kind, else a standard bay; which bay exactly is the twin's choice.
 * Pure.
 */
export function buildTwinTimeline(resolved: ResolvedScenario, options: ScenarioRunOptions = {}): TwinTimeline {
  const prepared = prepareScenarioRun(resolved, options);
  const output = runTrafficSimulation(prepared.input);
  const { trips } = prepared.input;
  const kindsByLot = new Map(
    resolved.lots.map((lot) => [
      lot.id,
      new Set(
        lot.zones.flatMap((zone) =>
          Object.keys(zone.capacityByKind).filter((k) => (zone.capacityByKind[k as BayKind] ?? 0) > 0),
        ),
      ),
    ]),
  );
  const events: TwinEvent[] = [];
  for (let v = 0; v < output.tripCount; v++) {
    const lot = output.lotIndex[v]!;
    const parkedS = output.doneS[v]!;
    if (lot < 0 || !Number.isFinite(parkedS)) continue;
    const trip = trips[v]!;
    const lotId = output.lotIds[lot]!;
    const wanted = trip.bayKind ?? 'standard';
    const kind: BayKind = kindsByLot.get(lotId)?.has(wanted) === true ? wanted : 'standard';
    events.push({ atS: parkedS, lotId, kind, isArrival: true, tripId: trip.id });
    const leaveS = parkedS + (trip.stayS ?? 0);
    if (leaveS <= output.endS) events.push({ atS: leaveS, lotId, kind, isArrival: false, tripId: trip.id });
  }
  // Leaves before arrivals at the same instant, so a lot never looks over-full.
  events.sort((a, b) => a.atS - b.atS || Number(a.isArrival) - Number(b.isArrival));
  const document = resolved.document;
  const dayStartMs = Date.parse(document.date);
  const appointments =
    'generate' in document.demand.appointments
      ? generateAppointments(document.demand.appointments.generate, dayStartMs, subSeed(prepared.seed, 1))
      : (resolved.appointments ?? []);
  const initialOccupancy: TwinTimeline['initialOccupancy'] = {};
  for (const lot of resolved.lots) {
    initialOccupancy[lot.id] = { ...((document.initialOccupancy?.[lot.id] ?? {}) as Partial<Record<BayKind, number>>) };
  }
  return {
    scenario: document.name,
    policy: prepared.policy.name,
    seed: prepared.seed,
    startS: output.startS,
    endS: output.endS,
    dayStartMs,
    lotIds: output.lotIds,
    initialOccupancy,
    events,
    queue: {
      intervalS: output.queues.seriesIntervalS,
      timesS: output.queues.timesS,
      approachQueueM: output.queues.approachQueueM,
    },
    appointments,
    map: {
      nodes: resolved.network.nodes.map((n) => ({ id: n.id, xM: n.xM, yM: n.yM })),
      links: resolved.network.edges.map((e) => ({
        id: e.id,
        fromNodeId: e.fromNodeId,
        toNodeId: e.toNodeId,
        laneCount: e.laneCount,
        ...(e.name === undefined ? {} : { name: e.name }),
      })),
      lots: resolved.lots.map((lot) => ({ lotId: lot.id, entryEdgeId: lot.entryEdgeId })),
      signs: (document.signs ?? []).map((sign) => ({ signId: sign.id, edgeId: sign.edgeId })),
    },
    linkQueues: linkQueuesOf(
      resolved.network.edges.map((e) => e.id),
      output.queues.linkSeriesM,
      output.queues.timesS.length,
    ),
  };
}
