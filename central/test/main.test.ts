import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@citybay/common';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reservationIdOf } from '../src/core/appointment-day.js';
import { loadConfig } from '../src/config.js';
import { hashSecret } from '../src/io/credentials.js';
import { type RunningCentral, startCentral } from '../src/main.js';
import { SqliteStore } from '../src/store/store-sqlite.js';
import { driftedDaySubmissions, SMALL_SITE } from './helpers/drifted-day.js';
import { HOSPITAL_KEY, T0 } from './helpers/test-app.js';

// T0 is 2026-11-18 11:06 UTC; the drifted day's cars arrive from 12:30.
const TODAY = '2026-11-18';
const DAY_START_MS = Date.parse(`${TODAY}T00:00:00Z`);

describe('startCentral: periodic re-optimisation', () => {
  let central: RunningCentral | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'citybay-main-'));
  beforeAll(() => {
    writeFileSync(
      join(dir, 'keys.json'),
      JSON.stringify({ keys: [{ id: 'pas', role: 'hospital', sha256: hashSecret(HOSPITAL_KEY) }] }),
    );
  });
  afterAll(async () => {
    await central?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("re-optimises today's appointments on its timer, in the background", async () => {
    const store = new SqliteStore({ path: ':memory:' });
    await store.migrate();
    await store.putSite(SMALL_SITE, T0);
    central = await startCentral({
      config: loadConfig({}, { port: 0, apiKeysPath: join(dir, 'keys.json'), reoptimiseIntervalMs: 1_000 }),
      logger: pino({ level: 'silent' }),
      clock: new ManualClock(T0 + 60_000),
      store,
    });
    for (const payload of driftedDaySubmissions(TODAY)) {
      const res = await central.app.inject({
        method: 'POST',
        url: `/v1/appointments?siteId=${SMALL_SITE.id}`,
        headers: { authorization: `Bearer ${HOSPITAL_KEY}` },
        payload,
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    const submitted = await store.getAppointmentDay(SMALL_SITE.id, DAY_START_MS);
    // Nothing but the timer changes the day from here on.
    const deadlineMs = Date.now() + 15_000;
    let day = submitted;
    while (day?.version === submitted?.version && Date.now() < deadlineMs) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      day = await store.getAppointmentDay(SMALL_SITE.id, DAY_START_MS);
    }
    expect(day?.version).toBe(submitted!.version + 1);
    const reservations = (await store.getDirectives(SMALL_SITE.id)).reservations ?? [];
    expect(reservations.find((r) => r.reservationId === reservationIdOf('long'))?.lotId).toBe('P2');
  });
});
