import { parseAppointments } from '@citybay/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/test-app.js';
import { sampleSite, siteDefinitionFor } from '../helpers/sample-site.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp({ allocatorDaysKept: 2 });
});
afterAll(() => t.close());

const site = siteDefinitionFor(sampleSite());
const day = (n: number) => `2026-11-${String(19 + n).padStart(2, '0')}`;
const submission = (ids: string[], n: number) =>
  parseAppointments(
    JSON.stringify(
      ids.map((id, i) => ({ id, start: `${day(n)}T09:${String(i * 15).padStart(2, '0')}:00Z`, durationMin: 30 })),
    ),
    'test',
  );

describe('the allocator thread keeps a bounded number of days', () => {
  it('forgets the least recently used beyond allocatorDaysKept, future days included, and re-plans them from the store', async () => {
    for (let n = 0; n < 5; n++) {
      const { refused } = await t.planner.planSubmission(site, submission([`a${n}`], n), { isAtomic: true });
      expect(refused).toEqual([]);
    }
    expect(await t.planner.heldDayCount()).toBe(2);
    // Day 0 was forgotten: a change to it is planned from the stored day, with its first appointment kept.
    const { answers } = await t.planner.planSubmission(site, submission(['a0', 'b0'], 0), { isAtomic: true });
    expect([...answers.values()].every((a) => a.placed)).toBe(true);
    const stored = await t.store.getAppointmentDay(site.id, Date.parse(`${day(0)}T00:00:00Z`));
    expect(stored?.appointments.map((a) => a.id).sort()).toEqual(['a0', 'b0']);
    expect(stored?.version).toBe(2);
    expect(await t.planner.heldDayCount()).toBe(2);
  });

  it('plans the days of one submission together: a refused appointment on one day saves none of them', async () => {
    const before = await t.store.getAppointmentDay(site.id, Date.parse(`${day(3)}T00:00:00Z`));
    const mixed = [...submission(['c3'], 3), ...submission(['late'], -2)];
    const { refused, answers } = await t.planner.planSubmission(site, mixed, { isAtomic: true });
    expect(refused.map((r) => r.appointmentId)).toEqual(['late']);
    expect(answers.size).toBe(0);
    expect((await t.store.getAppointmentDay(site.id, Date.parse(`${day(3)}T00:00:00Z`)))?.version).toBe(
      before?.version,
    );
  });
});
