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
