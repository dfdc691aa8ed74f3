import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reservationIdOf } from '../../src/core/appointment-day.js';
import type { SiteDefinition } from '../../src/core/site-definition.js';
import { errors } from '../../src/errors.js';
import { createDayPlanner, type DayPlanner } from '../../src/io/day-planner.js';
import { reoptimiseToday } from '../../src/io/reoptimise-job.js';
import type { CentralStore } from '../../src/store/store.js';
import { planDriftedDay, SMALL_SITE } from '../helpers/drifted-day.js';
import { makeTestApp, type TestApp } from '../helpers/test-app.js';

// The test clock's own day (2026-11-18, 11:07 UTC); the drifted days' cars all arrive after 12:00.
const TODAY = '2026-11-18';
const TOMORROW = '2026-11-19';
const dayStartOf = (date: string) => Date.parse(`${date}T00:00:00Z`);
const SECOND_SITE: SiteDefinition = { ...SMALL_SITE, id: 'small-site-2' };

/** The store as another central instance sees it, with faults to switch on. */
function faultyStore(
  store: CentralStore,
  faults: { isSaveConflicting: boolean; isReadFailing: boolean },
): CentralStore {
  return new Proxy(store, {
    get(target, name) {
      if (name === 'saveAppointmentDays' && faults.isSaveConflicting) {
        return async () => {
          throw errors.CB_APPOINTMENTS_CONFLICT('the appointments of that day were changed concurrently');
        };
      }
      if (name === 'getAppointmentDay' && faults.isReadFailing) {
        return async () => {
          throw new Error('database connection lost');
        };
      }
      const value: unknown = Reflect.get(target, name, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function capturingLogger() {
  const lines: Array<{ level: number; msg: string; siteId?: string }> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines, errors: () => lines.filter((l) => l.level >= 50) };
}

let t: TestApp;
let otherInstance: DayPlanner;
const faults = { isSaveConflicting: false, isReadFailing: false };
beforeAll(async () => {
  t = await makeTestApp();
  await t.store.putSite(SMALL_SITE, 0);
  await t.store.putSite(SECOND_SITE, 0);
  await planDriftedDay(t.planner, SMALL_SITE, TODAY);
  await planDriftedDay(t.planner, SMALL_SITE, TOMORROW, 'tomorrow-');
  otherInstance = createDayPlanner({ store: faultyStore(t.store, faults), clock: t.clock });
  // Starts the other instance's allocator thread now, so no test below pays for it.
  await planDriftedDay(otherInstance, SECOND_SITE, TOMORROW, 'tomorrow-');
});
afterAll(async () => {
  await otherInstance.close();
  await t.close();
});

const versionOf = async (siteId: string, date: string) =>
  (await t.store.getAppointmentDay(siteId, dayStartOf(date)))?.version;

describe('reoptimiseToday', () => {
  it("re-optimises every site's day of today that has appointments, and nothing else", async () => {
    const [today, tomorrow] = [await versionOf(SMALL_SITE.id, TODAY), await versionOf(SMALL_SITE.id, TOMORROW)];
    const log = capturingLogger();
    const tally = await reoptimiseToday({ store: t.store, planner: t.planner, clock: t.clock, logger: log.logger });
    expect(tally).toEqual({ improved: 1, unchanged: 0, skipped: 0, failed: 0 });
    expect(await versionOf(SMALL_SITE.id, TODAY)).toBe(today! + 1);
    expect(await versionOf(SMALL_SITE.id, TOMORROW)).toBe(tomorrow);
    const long = (await t.store.getDirectives(SMALL_SITE.id)).reservations?.find(
      (r) => r.reservationId === reservationIdOf('long'),
    );
    expect(long?.lotId).toBe('P2');
    expect(log.lines.some((l) => l.msg === 're-optimisation: better plans saved')).toBe(true);
  });

  it('saves nothing on a run with nothing left to gain', async () => {
    const today = await versionOf(SMALL_SITE.id, TODAY);
    const tally = await reoptimiseToday({
      store: t.store,
      planner: t.planner,
      clock: t.clock,
      logger: capturingLogger().logger,
    });
    expect(tally).toEqual({ improved: 0, unchanged: 1, skipped: 0, failed: 0 });
    expect(await versionOf(SMALL_SITE.id, TODAY)).toBe(today);
  });

  it('leaves a day to the instance whose allocator holds it', async () => {
    const today = await versionOf(SMALL_SITE.id, TODAY);
    const tally = await reoptimiseToday({
      store: t.store,
      planner: otherInstance,
      clock: t.clock,
      logger: capturingLogger().logger,
    });
    expect(tally).toEqual({ improved: 0, unchanged: 0, skipped: 1, failed: 0 });
    expect(await versionOf(SMALL_SITE.id, TODAY)).toBe(today);
  });

  it('drops a day another instance changed meanwhile without logging an error, and re-plans it next time', async () => {
    await planDriftedDay(otherInstance, SECOND_SITE, TODAY);
    const version = await versionOf(SECOND_SITE.id, TODAY);
    const log = capturingLogger();
    faults.isSaveConflicting = true;
    try {
      const tally = await reoptimiseToday({
        store: t.store,
        planner: otherInstance,
        clock: t.clock,
        logger: log.logger,
      });
      expect(tally).toEqual({ improved: 0, unchanged: 0, skipped: 2, failed: 0 });
    } finally {
      faults.isSaveConflicting = false;
    }
    expect(log.errors()).toEqual([]);
    expect(await versionOf(SECOND_SITE.id, TODAY)).toBe(version);
    // The lost save must not leave the allocator thread a version ahead of the store.
    const next = await otherInstance.reoptimiseDay(SECOND_SITE, dayStartOf(TODAY));
    expect(next).toMatchObject({ isReplanned: true, isSaved: true, version: version! + 1 });
  });

  it('logs a failing day and goes on with the next, never throwing', async () => {
    const log = capturingLogger();
    faults.isReadFailing = true;
    try {
      const sites = await t.store.listSites();
      const tally = await reoptimiseToday({
        store: t.store,
        planner: otherInstance,
        clock: t.clock,
        logger: log.logger,
      });
      expect(tally).toEqual({ improved: 0, unchanged: 0, skipped: 0, failed: sites.length });
    } finally {
      faults.isReadFailing = false;
    }
    expect(
      log
        .errors()
        .map((l) => l.siteId)
        .sort(),
    ).toEqual((await t.store.listSites()).map((s) => s.id).sort());
  });
});

describe('DayPlanner.forgetDaysBefore', () => {
  it("drops the allocator thread's days that started before the cut, and only those", async () => {
    const LATER = '2026-11-25'; // a day no other test has planned
    const planner = createDayPlanner({ store: t.store, clock: t.clock });
    try {
      expect(await planner.forgetDaysBefore(dayStartOf(LATER))).toBe(0); // no thread yet: nothing held
      await planDriftedDay(planner, SECOND_SITE, LATER, 'later-');
      const background = { isBackground: true };
      expect(await planner.reoptimiseDay(SECOND_SITE, dayStartOf(LATER), background)).toMatchObject({
        isSkipped: false,
      });
      expect(await planner.forgetDaysBefore(dayStartOf(LATER))).toBe(0);
      expect(await planner.forgetDaysBefore(dayStartOf(LATER) + 1)).toBe(1);
      // The thread no longer holds the day, so the periodic job leaves it alone.
      expect(await planner.reoptimiseDay(SECOND_SITE, dayStartOf(LATER), background)).toMatchObject({
        isSkipped: true,
      });
    } finally {
      await planner.close();
    }
  });
});
