import { parseAppointments } from '@citybay/sim';
import type { SiteDefinition } from '../../src/core/site-definition.js';
import type { DayPlanner } from '../../src/io/day-planner.js';

/** A site with one near bay (P1) and a far lot (P2): small enough to see event-by-event drift by hand. */
export const SMALL_SITE: SiteDefinition = {
  id: 'small-site',
  name: 'Small site',
  location: [-1.55, 53.8],
  entrances: [{ id: 'main', name: 'Main entrance', location: [-1.5501, 53.8001] }],
  lots: [
    {
      id: 'P1',
      name: 'Near',
      geometry: { type: 'Point', coordinates: [-1.55, 53.8] },
      capacity: { standard: 1 },
      zones: [],
      walkTimeSByEntrance: { main: 60 },
    },
    {
      id: 'P2',
      name: 'Far',
      geometry: { type: 'Point', coordinates: [-1.56, 53.8] },
      capacity: { standard: 10 },
      zones: [],
      walkTimeSByEntrance: { main: 600 },
    },
  ],
};

const appointmentsOf = (date: string, list: Array<[id: string, hhmm: string, durationMin: number]>) =>
  parseAppointments(
    JSON.stringify({ appointments: list.map(([id, hhmm, durationMin]) => ({ id, start: `${date}T${hhmm}:00Z`, durationMin })) }),
    'test appointments',
  );

/**
 * Plans `date` (UTC, the site's offset is 0) so that the online repairs leave it worse than the optimum:
 * a long stay takes the one near bay first; two short stays that together could use it arrive later as
 * online events and go far, since moving the long stay out for one of them gains nothing.
 */
export async function planDriftedDay(planner: DayPlanner, site: SiteDefinition, date: string): Promise<void> {
  const dayStartMs = Date.parse(`${date}T00:00:00Z`);
  await planner.planAppointments(site, dayStartMs, appointmentsOf(date, [['long', '13:00', 180]]));
  await planner.planAppointments(
    site,
    dayStartMs,
    appointmentsOf(date, [
      ['short-1', '13:00', 30],
      ['short-2', '15:00', 30],
    ]),
  );
}
