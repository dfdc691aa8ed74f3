import type { SeededRandom } from '@citybay/common';
import type { SumoDemandItem } from '../sumo/sumo-routes.js';

/**
 * The vehicles of a SUMO flow (ids `<flow>.<n>`, SUMO times), as SUMO inserts them: `period` (and `vehsPerHour`)
 * at `begin`, `begin + period`, …; `exp(rate)` with exponential headways; `probability` one Bernoulli draw per
 * second; all until `end` or `number` vehicles, and never past `untilS` (the run's end in SUMO time).
 */
export function flowDepartures(
  flow: SumoDemandItem,
  random: SeededRandom,
  untilS: number,
): Array<{ id: string; departS: number }> {
  const spacing = flow.spacing!;
  const beginS = flow.beginS ?? 0;
  const endS = Math.min(flow.endS ?? Number.POSITIVE_INFINITY, untilS);
  const limit = flow.number ?? Number.POSITIVE_INFINITY;
  const departures: Array<{ id: string; departS: number }> = [];
  const add = (departS: number) => departures.push({ id: `${flow.id}.${departures.length}`, departS });
  if (spacing.kind === 'period') {
    for (let n = 0; n < limit; n++) {
      const departS = beginS + n * spacing.periodS;
      if (departS >= endS) break;
      add(departS);
    }
  } else if (spacing.kind === 'exponential') {
    let departS = beginS - Math.log(1 - random.next()) / spacing.ratePerS;
    while (departS < endS && departures.length < limit) {
      add(departS);
      departS -= Math.log(1 - random.next()) / spacing.ratePerS;
    }
  } else {
    for (let second = beginS; second < endS; second++) {
      if (random.next() < spacing.perSecond) add(second);
    }
  }
  return departures;
}
