import { ManualClock } from '@citybay/common';
import { BayKind } from '@citybay/proto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCentralApp } from '../../src/http/app.js';
import { makeTestApp, T0, type TestApp, testKeyring } from '../helpers/test-app.js';

const HOUR_MS = 3_600_000;

describe('dashboard reservations on the calendar clock', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp();
    const reservation = (id: string, fromMs: number) => ({
      reservationId: id,
      lotId: 'P1',
      zoneId: '',
      kind: BayKind.BAY_KIND_STANDARD,
      bayId: '',
      validFromMs: fromMs,
      validUntilMs: fromMs + HOUR_MS,
    });
    // A simulated day a day ahead of the wall clock, as the demo's twin books it.
    const dayMs = T0 + 24 * HOUR_MS;
    await t.store.updateReservations(
      'hospital-north',
      [reservation('early', dayMs), reservation('late', dayMs + 2 * HOUR_MS)],
      [],
      T0,
    );
  });
  afterAll(async () => t.close());

  it('holds "now" what the calendar says, while the wall clock stays the wall clock', async () => {
    const calendar = new ManualClock(T0 + 24 * HOUR_MS + 30 * 60_000);
    const app = await buildCentralApp({
      store: t.store,
      config: t.config,
      logger: pino({ level: 'silent' }),
      clock: t.clock,
      calendarClock: calendar,
      keyring: testKeyring(),
      planner: t.planner,
    });
    try {
      const held = async () => {
        const state = (await app.inject({ method: 'GET', url: '/v1/dashboard/state' })).json();
        const site = state.sites.find((s: { id: string }) => s.id === 'hospital-north');
        return { nowMs: state.nowMs, held: site.directives.heldNowByLot, listed: site.directives.reservationCount };
      };
      expect(await held()).toEqual({ nowMs: t.clock.nowMs(), held: { P1: { standard: 1 } }, listed: 2 });
      calendar.advance(2 * HOUR_MS);
      // The early one expired on the calendar, the late one is held now.
      expect(await held()).toEqual({ nowMs: t.clock.nowMs(), held: { P1: { standard: 1 } }, listed: 1 });
      calendar.advance(2 * HOUR_MS);
      expect(await held()).toEqual({ nowMs: t.clock.nowMs(), held: {}, listed: 0 });
    } finally {
      await app.close();
    }
  });
});
