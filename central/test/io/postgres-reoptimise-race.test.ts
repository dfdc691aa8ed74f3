import { ManualClock } from '@citybay/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reservationIdOf } from '../../src/core/appointment-day.js';
import type { SiteDefinition } from '../../src/core/site-definition.js';
import { createDayPlanner, type DayPlanner } from '../../src/io/day-planner.js';
import { PostgresStore } from '../../src/store/store-postgres.js';
import { planDriftedDay, SMALL_SITE } from '../helpers/drifted-day.js';
import { requirePostgres, TEST_DATABASE_URL, uniqueSchema } from '../helpers/postgres.js';
import { T0 } from '../helpers/test-app.js';

await requirePostgres();
const DATE = '2026-11-18'; // the day of the clock below; the drifted day's cars come after 12:00
const DAY_START_MS = Date.parse(`${DATE}T00:00:00Z`);
const SITE: SiteDefinition = { ...SMALL_SITE, id: 'race-site' };

// Two central instances (two planners, each with its own allocator thread and connection pool) on one database,
// re-optimising the same day at the same moment: the versioned save lets one win; the other must neither fail nor
// leave the edges' reservations out of step with the saved plan.
describe('two instances re-optimising one day at once on PostgreSQL', () => {
  const schema = uniqueSchema('race');
  const clock = new ManualClock(T0 + 60_000);
  const stores: PostgresStore[] = [];
  const planners: DayPlanner[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      stores.push(new PostgresStore({ connectionString: TEST_DATABASE_URL, schema, poolSize: 4 }));
    }
    await stores[0]!.migrate();
    await stores[0]!.putSite(SITE, T0);
    for (const store of stores) planners.push(createDayPlanner({ store, clock }));
    await planDriftedDay(planners[0]!, SITE, DATE);
  });
  afterAll(async () => {
    for (const planner of planners) await planner.close();
    await stores[0]?.dropSchema();
    for (const store of stores) await store.close();
  });

  it('saves one better plan, and the reservations match it', async () => {
    const before = await stores[0]!.getAppointmentDay(SITE.id, DAY_START_MS);
    const results = await Promise.all(planners.map((planner) => planner.reoptimiseDay(SITE, DAY_START_MS)));
    // The instance that holds the day improves it; the other plans it from scratch, and whichever saves second
    // finds the day changed under it and tries again on the saved version.
    expect(results.every((r) => r !== undefined)).toBe(true);
    const after = await stores[1]!.getAppointmentDay(SITE.id, DAY_START_MS);
    expect(after!.version).toBeGreaterThan(before!.version);
    expect(after!.version).toBeLessThanOrEqual(before!.version + 2);
    expect(Math.max(...results.map((r) => r!.version))).toBe(after!.version);
    // Better than the drifted plan: the long stay goes far and the near bay serves both short ones.
    expect(after!.assignments.find((a) => a.appointmentId === 'long')?.lotId).toBe('P2');
    const reservations = (await stores[0]!.getDirectives(SITE.id)).reservations ?? [];
    for (const assignment of after!.assignments.filter((a) => a.placed)) {
      const reservation = reservations.find((r) => r.reservationId === reservationIdOf(assignment.appointmentId));
      expect(reservation?.lotId).toBe(assignment.lotId);
    }
  });
});
