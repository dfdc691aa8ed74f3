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

/**
 * Two submissions (plain JSON form) for `date` (UTC; the site's offset is 0) after which the online repairs
 * leave the day worse than the optimum: a long stay takes the one near bay first; two short stays that
 * together could use it arrive later as online events and go far, since moving the long stay out for one
 * of them gains nothing. An appointment id names one appointment of a site (the same id on another day is that
 * appointment moved there): a second drifted day of a site takes an `idPrefix`.
 */
export function driftedDaySubmissions(date: string, idPrefix = ''): Array<{ appointments: object[] }> {
  const plain = (id: string, hhmm: string, durationMin: number) => ({
    id: `${idPrefix}${id}`,
    start: `${date}T${hhmm}:00Z`,
    durationMin,
  });
  return [
    { appointments: [plain('long', '13:00', 180)] },
    { appointments: [plain('short-1', '13:00', 30), plain('short-2', '15:00', 30)] },
  ];
}

/** Plans {@link driftedDaySubmissions} through a planner, as the appointment route would. */
export async function planDriftedDay(
  planner: DayPlanner,
  site: SiteDefinition,
  date: string,
  idPrefix = '',
): Promise<void> {
  for (const submission of driftedDaySubmissions(date, idPrefix)) {
    const appointments = parseAppointments(JSON.stringify(submission), 'test appointments');
    const { refused } = await planner.planSubmission(site, appointments, { isAtomic: true });
    if (refused.length > 0) throw new Error(`drifted day: refused ${JSON.stringify(refused)}`);
  }
}
