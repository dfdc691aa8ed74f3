import type { RoadNetwork, SignalPhase, SignalProgram } from '../model/index.js';

/** SUMO's DEFAULT_LENGTH_WITH_GAP (m): a queued car's space, which caps how far upstream a detector is placed. */
const LENGTH_WITH_GAP_M = 7.5;

/**
 * Where the induction loops of actuated signals lie and which phases each one extends, as SUMO places them by
 * default (MSActuatedTrafficLightLogic::init, SUMO 1.15):
 * - one loop per incoming car lane that some actuated phase (`minDur < maxDur`) gives green (`G` or `g`), at
 *   `min(detector-gap × lane speed, (minDur / passing-time + 0.5) × 7.5 m)` before the stop line, `minDur` being the
 *   shortest of those phases (the cap keeps the queue a minimum green can clear between loop and stop line); on a lane
 *   shorter than that, at the lane's start (SUMO moves it onto a single predecessor lane; here its cars are seen as
 *   they enter the lane);
 * - a loop extends an actuated phase when every link from its lane is green in that phase (SUMO's "check1": a lane
 *   that also feeds a red link would hold a green nobody can use). A `g` counts when the link is never `G` (or is a
 *   U-turn) and a `G` link leaves the same lane in that phase, or when its road has one lane (checks 1a–1d). SUMO's
 *   "check2" for joined signals in series is not applied.
 */
export interface DetectorPlan {
  /** Per loop: the lane it lies on (LaneLayout index) and its distance before the stop line (m). */
  readonly loopLane: Int32Array;
  readonly loopDistanceM: Float64Array;
  /** Per signal program (network.signals order), per phase: the loops whose detections extend it (empty: none). */
  readonly phaseLoops: number[][][];
}

/** Whether a phase is actuated (SUMO: `minDuration != maxDuration`). */
export function isActuatedPhase(phase: SignalPhase): boolean {
  return (phase.minDurS ?? phase.durationS) !== (phase.maxDurS ?? phase.durationS);
}

/** SUMO's `isGreenPhase`: some link has green and none has yellow (transition phases are never extended). */
export function isGreenPhase(state: string): boolean {
  return /[Gg]/.test(state) && !/[yY]/.test(state);
}

/**
 * The loops of every actuated program of `network`. `laneOf(edgeId, carLane)` gives the LaneLayout index of a car lane
 * (-1 when the lane is not modelled).
 */
export function planDetectors(network: RoadNetwork, laneOf: (edgeId: string, carLane: number) => number): DetectorPlan {
  const loopLane: number[] = [];
  const loopDistanceM: number[] = [];
  const edgeById = new Map(network.edges.map((edge) => [edge.id, edge]));
  const programs = network.signals ?? [];
  const phaseLoops = programs.map((program) => program.phases.map((): number[] => []));
  const connectionsOf = new Map<string, NonNullable<RoadNetwork['connections']>>();
  for (const c of network.connections) {
    if (c.tlId === undefined || c.tlLinkIndex === undefined || c.fromLane === undefined) continue;
    const list = connectionsOf.get(c.tlId) ?? [];
    list.push(c);
    connectionsOf.set(c.tlId, list);
  }
  programs.forEach((program, p) => {
    if (program.actuation === undefined || !program.phases.some(isActuatedPhase)) return;
    const width = Math.max(...program.phases.map((phase) => phase.state.length));
    const lanesAt: number[][] = Array.from({ length: width }, () => []);
    const oneLane = new Array<boolean>(width).fill(false);
    const turnaround = new Array<boolean>(width).fill(true);
    const laneSpeed = new Map<number, number>();
    const laneLength = new Map<number, number>();
    for (const c of connectionsOf.get(program.id) ?? []) {
      const i = c.tlLinkIndex!;
      const from = edgeById.get(c.fromEdgeId);
      const to = edgeById.get(c.toEdgeId);
      const lane = laneOf(c.fromEdgeId, c.fromLane!);
      if (i >= width || from === undefined || to === undefined || lane < 0) continue;
      if (!lanesAt[i]!.includes(lane)) lanesAt[i]!.push(lane);
      laneSpeed.set(lane, from.speedMps);
      laneLength.set(lane, from.lengthM);
      if (from.laneCount === 1) oneLane[i] = true;
      if (to.toNodeId !== from.fromNodeId) turnaround[i] = false;
    }
    for (let i = 0; i < width; i++) if (lanesAt[i]!.length === 0) turnaround[i] = false;
    const neverMajor = Array.from({ length: width }, (_, i) => !program.phases.some((ph) => ph.state[i] === 'G'));
    const isGreenAt = (state: string, i: number) => state[i] === 'G' || state[i] === 'g';
    // A loop per lane that an actuated phase gives green, placed for the shortest such phase's minimum.
    const minDurOf = new Map<number, number>();
    for (const phase of program.phases) {
      if (!isActuatedPhase(phase)) continue;
      for (let i = 0; i < width; i++) {
        if (!isGreenAt(phase.state, i)) continue;
        for (const lane of lanesAt[i]!) {
          minDurOf.set(lane, Math.min(minDurOf.get(lane) ?? Infinity, phase.minDurS ?? phase.durationS));
        }
      }
    }
    const loopOf = new Map<number, number>();
    for (const [lane, minDurS] of [...minDurOf].sort((a, b) => a[0] - b[0])) {
      const { detectorGapS, passingTimeS } = program.actuation;
      const wantedM = Math.min(detectorGapS * laneSpeed.get(lane)!, (minDurS / passingTimeS + 0.5) * LENGTH_WITH_GAP_M);
      loopOf.set(lane, loopLane.length);
      loopLane.push(lane);
      loopDistanceM.push(Math.min(wantedM, laneLength.get(lane)!));
    }
    program.phases.forEach((phase, ph) => {
      if (!isActuatedPhase(phase)) return;
      const { state } = phase;
      const hasMajor = (lanes: number[]) =>
        lanesAt.some((other, j) => state[j] === 'G' && other.some((lane) => lanes.includes(lane)));
      const isGreenLink = (i: number) =>
        state[i] === 'G' ||
        (state[i] === 'g' && (((neverMajor[i]! || turnaround[i]!) && hasMajor(lanesAt[i]!)) || oneLane[i]!));
      for (const [lane, loop] of loopOf) {
        let isUsable = true;
        for (let i = 0; i < width && isUsable; i++) if (lanesAt[i]!.includes(lane) && !isGreenLink(i)) isUsable = false;
        if (isUsable) phaseLoops[p]![ph]!.push(loop);
      }
    });
  });
  return { loopLane: Int32Array.from(loopLane), loopDistanceM: Float64Array.from(loopDistanceM), phaseLoops };
}

const plans = new WeakMap<object, DetectorPlan>();

/**
 * `planDetectors` once per set of network tables (`tables`, e.g. the run's lane layout, shared by every run on the
 * network or an equal copy of it: network-tables.ts): the plan depends on the network alone, and placing the loops
 * (a map of every edge, a pass over every connection) was 2% of a (c) run. Read-only for its users.
 */
export function detectorPlanFor(
  tables: object,
  network: RoadNetwork,
  laneOf: (edgeId: string, carLane: number) => number,
): DetectorPlan {
  let plan = plans.get(tables);
  if (plan === undefined) {
    plan = planDetectors(network, laneOf);
    plans.set(tables, plan);
  }
  return plan;
}

/** Whether a program is run by detectors (an `actuated` program with at least one actuated phase). */
export function isActuatedProgram(program: SignalProgram): boolean {
  return program.actuation !== undefined && program.phases.some(isActuatedPhase);
}
