import { SeededRandom } from '@citybay/common';
import { type Trip, tripOf } from '../traffic/trip.js';

/** Through traffic between two edges at a rate over a window; departures are a Poisson process. */
export interface BackgroundFlow {
  id: string;
  fromEdgeId: string;
  toEdgeId: string;
  vehPerHour: number;
  /** Window (s after midnight). */
  fromS: number;
  toS: number;
}

/** Turns flows into `through` trips with exponential headways drawn from `seed`. */
export function backgroundTrips(flows: readonly BackgroundFlow[], seed: number): Trip[] {
  const trips: Trip[] = [];
  flows.forEach((flow, f) => {
    if (flow.vehPerHour <= 0) return;
    const random = new SeededRandom((seed + Math.imul(f + 1, 0x27d4eb2d)) >>> 0);
    const meanHeadwayS = 3600 / flow.vehPerHour;
    let timeS = flow.fromS - Math.log(1 - random.next()) * meanHeadwayS;
    let n = 0;
    while (timeS < flow.toS) {
      trips.push(
        tripOf({
          id: `${flow.id}.${n++}`,
          purpose: 'through',
          departS: timeS,
          originEdgeId: flow.fromEdgeId,
          destinationEdgeId: flow.toEdgeId,
        }),
      );
      timeS -= Math.log(1 - random.next()) * meanHeadwayS;
    }
  });
  return trips;
}
