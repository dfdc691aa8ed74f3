import type { RoadNetwork } from '../model/index.js';
import type { SimLot } from '../traffic/trip.js';
import { attr, round } from './xml-text.js';

/**
 * How a gate is modelled in SUMO: a barrier stop. A car stops at the barrier for `duration` and drives on; the next
 * car then moves up to the barrier and stops. SUMO ends a stop on a whole step (1 s, the exported step length), so a
 * stop of 3.6 s lasts 4 s. Measured in SUMO 1.15 (Krauss, the exported car type: 5 m + 2.5 m gap, accel 2.6, decel
 * 4.5, sigma 0.5, a 20 km/h lot road) in a standing queue, one barrier lane passes a car every `stop + 5.5` s
 * (5.43–5.52 s at stops of 3–9 s), and never faster than one per 7.4 s (`GATE_MIN_HEADWAY_S`); so a one-lane barrier's
 * stops are whole seconds that average `h − 5.5` (`barrierStopS`: 6 cars/min → 4, 5, 4, 5 … s). A gate faster than
 * that gets as many barrier lanes as it needs, side by side, cars taking them in turn, each stopping `lanes · h − 6.4`
 * s: two lanes interfere (a car moving up waits for the one beside it) in ways that did not follow a simple rule, and
 * the hospital garage's 13.3 cars/min (4.5 s) comes out at 4.9 s. Until 7 Dec 2026 one-lane barriers also stopped
 * `h − 6.4` s, and a 6 cars/min gate passed 6.3 cars/min in SUMO (benchmark (a)). A test measures 6, 6.7 and 13.3
 * cars/min.
 */
export const GATE_MIN_HEADWAY_S = 7.4;
/** Time a barrier lane needs per car beyond its stop: the next car moving up and stopping (s). */
function gateMoveUpS(lanes: number): number {
  return lanes === 1 ? 5.5 : 6.4;
}
/** A gate at least this fast is no slower than the lane it is on: no barrier is exported (1,800 veh/h). */
export const NO_BARRIER_HEADWAY_S = 2;
const LOT_SPEED_MPS = 5.56;
const BARRIER_EDGE_M = 20;
const BAYS_EDGE_M = 40;

/** Barrier lanes and mean stop duration for a gate serving one car every `headwayS`. */
export function barrierFor(headwayS: number): { lanes: number; durationS: number } {
  const lanes = Math.max(1, Math.ceil(GATE_MIN_HEADWAY_S / headwayS - 1e-9));
  return { lanes, durationS: Math.max(0, lanes * headwayS - gateMoveUpS(lanes)) };
}

/** The stop of the `n`-th car to a barrier (s); one lane: whole seconds, which over its cars average `durationS`. */
export function barrierStopS(barrier: { lanes: number; durationS: number }, n: number): number {
  if (barrier.lanes > 1) return Math.round(barrier.durationS * 100) / 100;
  return Math.floor((n + 1) * barrier.durationS + 1e-9) - Math.floor(n * barrier.durationS + 1e-9);
}

/** One lot in SUMO: where it parks cars, how they reach it and leave it, and what the network needs added. */
export interface SumoLotLayout {
  parkingAreaId: string;
  parkingAreaXml: string;
  /** Edges after the lot's entry edge up to and including the parkingArea's edge (none for a SUMO parkingArea). */
  edgesIn: string[];
  /** Edges from the parkingArea's edge to the exit edge (excluded); undefined when the lot has no exit. */
  edgesOut: string[] | undefined;
  /** The `<stop>` at the barrier for the n-th car to this lot ('' without a barrier). */
  barrierStop(n: number): string;
  patchNodes: string[];
  patchEdges: string[];
  patchConnections: string[];
}

/**
 * A lot read from a SUMO parkingArea goes back where it was (its own edge). A lot from a lots file gets a lot of its
 * own beyond its gate: a barrier road (`lot_<id>`, one lane per barrier), then the bays road (`lot_<id>_bays`) with
 * the parkingArea, and, when the lot has an exit edge, an exit road (`lot_<id>_out`) to that edge's start. Leaving
 * cars never pass the gate queue, which waits on the entry edge as in the link model.
 */
export function lotLayout(simLot: SimLot, network: RoadNetwork, freeBays: number): SumoLotLayout {
  const { lot } = simLot;
  const headwayS = 60 / lot.gateServiceVehPerMin;
  const place = lot.sumoParkingArea;
  if (place !== undefined) {
    const positions =
      (place.startPosM === undefined ? '' : ` startPos="${round(place.startPosM)}"`) +
      (place.endPosM === undefined ? '' : ` endPos="${round(place.endPosM)}"`);
    const barrier = headwayS >= GATE_MIN_HEADWAY_S ? barrierFor(headwayS) : undefined;
    return {
      parkingAreaId: lot.id,
      parkingAreaXml: `  <parkingArea id="${attr(lot.id)}" lane="${attr(place.laneId)}"${positions} roadsideCapacity="${freeBays}" friendlyPos="true"/>`,
      edgesIn: [],
      edgesOut: lot.exitEdgeId === undefined ? undefined : [],
      barrierStop: (n) =>
        barrier === undefined
          ? ''
          : `<stop lane="${attr(place.laneId)}" endPos="${round(Math.max(0.1, place.startPosM ?? 0))}" duration="${barrierStopS(barrier, n)}" friendlyPos="true"/>`,
      patchNodes: [],
      patchEdges: [],
      patchConnections: [],
    };
  }
  const gate = network.edges.find((edge) => edge.id === lot.entryEdgeId)!;
  const nodes = new Map(network.nodes.map((node) => [node.id, node]));
  const from = nodes.get(gate.fromNodeId)!;
  const at = nodes.get(gate.toNodeId)!;
  const length = Math.hypot(at.xM - from.xM, at.yM - from.yM) || 1;
  const [ux, uy] = [(at.xM - from.xM) / length, (at.yM - from.yM) / length];
  const point = (distanceM: number) => `x="${round(at.xM + ux * distanceM)}" y="${round(at.yM + uy * distanceM)}"`;
  const id = `lot_${lot.id}`;
  const barrier = headwayS >= NO_BARRIER_HEADWAY_S ? barrierFor(headwayS) : { lanes: 1, durationS: -1 };
  const edgesIn = [id, `${id}_bays`];
  const patchNodes = [
    `  <node id="${attr(`${id}_b`)}" ${point(BARRIER_EDGE_M)} type="priority"/>`,
    `  <node id="${attr(`${id}_p`)}" ${point(BARRIER_EDGE_M + BAYS_EDGE_M)} type="priority"/>`,
  ];
  const edge = (edgeId: string, fromId: string, toId: string, lanes: number, lengthM: number) =>
    `  <edge id="${attr(edgeId)}" from="${attr(fromId)}" to="${attr(toId)}" numLanes="${lanes}" speed="${LOT_SPEED_MPS}" priority="1" length="${lengthM}"/>`;
  const patchEdges = [
    edge(id, gate.toNodeId, `${id}_b`, barrier.lanes, BARRIER_EDGE_M),
    edge(`${id}_bays`, `${id}_b`, `${id}_p`, 1, BAYS_EDGE_M),
  ];
  const connect = (a: string, b: string, fromLane: number, toLane: number) =>
    `  <connection from="${attr(a)}" to="${attr(b)}" fromLane="${fromLane}" toLane="${toLane}"/>`;
  const gateLanes = Math.max(1, gate.laneCount);
  const patchConnections: string[] = [];
  for (let k = 0; k < barrier.lanes; k++) {
    patchConnections.push(connect(gate.id, id, Math.min(k, gateLanes - 1), k), connect(id, `${id}_bays`, k, 0));
  }
  let edgesOut: string[] | undefined;
  if (lot.exitEdgeId !== undefined) {
    const exit = network.edges.find((e) => e.id === lot.exitEdgeId)!;
    const exitFrom = nodes.get(exit.fromNodeId)!;
    const outLength = Math.max(5, Math.hypot(exitFrom.xM - at.xM, exitFrom.yM - at.yM) + BAYS_EDGE_M);
    patchEdges.push(edge(`${id}_out`, `${id}_p`, exit.fromNodeId, 1, Math.round(outLength)));
    patchConnections.push(connect(`${id}_bays`, `${id}_out`, 0, 0), connect(`${id}_out`, exit.id, 0, 0));
    edgesOut = [`${id}_out`];
  }
  return {
    parkingAreaId: `pa_${lot.id}`,
    parkingAreaXml: `  <parkingArea id="${attr(`pa_${lot.id}`)}" lane="${attr(`${id}_bays_0`)}" startPos="0" endPos="${BAYS_EDGE_M - 1}" roadsideCapacity="${freeBays}" friendlyPos="true"/>`,
    edgesIn,
    edgesOut,
    barrierStop: (n) =>
      barrier.durationS < 0
        ? ''
        : `<stop lane="${attr(`${id}_${n % barrier.lanes}`)}" endPos="${BARRIER_EDGE_M / 2}" duration="${barrierStopS(barrier, n)}"/>`,
    patchNodes,
    patchEdges,
    patchConnections,
  };
}
