import type { LaneLayout } from './lane-layout.js';
import type { LinkGraph } from './link-graph.js';
import type { TrafficParams } from './traffic-params.js';

/**
 * Time to cross each lane link's junction: its internal lane at the crossing speed (the internal lane's limit at the
 * free-flow share, or less for a movement that must yield), plus the time lost slowing from the link's free speed to the crossing speed and speeding up again
 * ((v − v_x)² / 2v · (1/a + 1/b), SUMO's default car: a = 2.6, b = 4.5 m/s²). A movement that must yield crosses at
 * most at the speed from which it can still stop within sight of the junction (SUMO's 4.5 m visibility).
 */
export function crossingTimes(layout: LaneLayout, graph: LinkGraph, params: TrafficParams): Float64Array {
  const f = params.freeFlowSpeedFactor;
  const K = layout.linkTo.length;
  const times = new Float64Array(K);
  const visibilitySpeed = Math.sqrt(2 * params.decelMps2 * params.minorVisibilityM);
  const lossFactor = 1 / params.accelMps2 + 1 / params.decelMps2;
  for (let l = 0; l < layout.laneCount; l++) {
    const e = layout.laneEdge[l]!;
    const v = graph.lengthM[e]! / graph.freeTimeS[e]! || 0;
    for (let k = layout.linkBase[l]!; k < layout.linkBase[l + 1]!; k++) {
      let crossing = layout.linkCrossSpeed[k]! > 0 ? layout.linkCrossSpeed[k]! * f : v;
      if (layout.conflictBase[k + 1]! > layout.conflictBase[k]! && crossing > visibilitySpeed)
        crossing = visibilitySpeed;
      const slower = v > crossing ? v - crossing : 0;
      const viaLengthM = layout.linkCrossS[k]! * layout.linkCrossSpeed[k]!;
      const acrossS = crossing > 0 ? viaLengthM / crossing : 0;
      times[k] = acrossS + (v > 0 ? ((slower * slower) / (2 * v)) * lossFactor : 0);
    }
  }
  return times;
}

/**
 * Per lane link: the time a car loses crossing the junction when it sets off from a standstill at the stop line (it
 * stopped for its gap) instead of passing at the crossing speed v_x: speeding up from 0 rather than from v_x to the
 * link's free speed v, (v² − (v − v_x)²) / 2va = v_x (2v − v_x) / 2va (1.9 s at 50 km/h and a yielding v_x of 6.4 m/s).
 * The braking part of the stop happens before the line, in the creep (`stopCreepS`).
 */
export function standstillStartLossS(layout: LaneLayout, graph: LinkGraph, params: TrafficParams): Float64Array {
  const K = layout.linkTo.length;
  const losses = new Float64Array(K);
  const visibilitySpeed = Math.sqrt(2 * params.decelMps2 * params.minorVisibilityM);
  for (let l = 0; l < layout.laneCount; l++) {
    const e = layout.laneEdge[l]!;
    const v = graph.lengthM[e]! / graph.freeTimeS[e]! || 0;
    for (let k = layout.linkBase[l]!; k < layout.linkBase[l + 1]!; k++) {
      let crossing = layout.linkCrossSpeed[k]! > 0 ? layout.linkCrossSpeed[k]! * params.freeFlowSpeedFactor : v;
      if (crossing > visibilitySpeed) crossing = visibilitySpeed;
      if (crossing > v) crossing = v;
      losses[k] = v > 0 ? (crossing * (2 * v - crossing)) / (2 * v * params.accelMps2) : 0;
    }
  }
  return losses;
}
