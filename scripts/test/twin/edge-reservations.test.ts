import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BayKind } from '@citybay/proto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EdgeReservations } from '../../src/twin/edge-reservations.js';

const HOUR_MS = 3_600_000;
let held: unknown[] = [];
const server = createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(req.url === '/directives' ? JSON.stringify({ siteId: 'hospital', version: 2, reservations: held }) : '{}');
});

describe('EdgeReservations', () => {
  let url: string;
  beforeAll(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  it('keeps what the edge holds, when the twin first saw it, and which are in force on the calendar', async () => {
    const reservations = new EdgeReservations([url, 'http://127.0.0.1:9'], pino({ level: 'silent' }));
    held = [
      {
        reservationId: 'a',
        lotId: 'H',
        zoneId: 'B1',
        kind: BayKind.BAY_KIND_FAMILY,
        validFromMs: HOUR_MS,
        validUntilMs: 2 * HOUR_MS,
      },
      {
        reservationId: 'b',
        lotId: 'P2',
        zoneId: '',
        kind: BayKind.BAY_KIND_STANDARD,
        validFromMs: 3 * HOUR_MS,
        validUntilMs: 4 * HOUR_MS,
      },
    ];
    const before = Date.now();
    await reservations.poll();
    expect(reservations.size).toBe(2);
    const first = reservations.get('a')!;
    expect(first).toMatchObject({ lotId: 'H', zoneId: 'B1', kind: 'family' });
    expect(first.firstSeenRealMs).toBeGreaterThanOrEqual(before);
    await reservations.poll();
    expect(reservations.get('a')!.firstSeenRealMs).toBe(first.firstSeenRealMs);
    expect(reservations.inForce(1.5 * HOUR_MS)).toEqual([{ lotId: 'H', zoneId: 'B1', kind: 'family' }]);
    expect(reservations.inForce(3.5 * HOUR_MS)).toEqual([{ lotId: 'P2', kind: 'standard' }]);
    expect(reservations.inForce(5 * HOUR_MS)).toEqual([]);
    // Central withdraws 'a': the edge no longer holds it, so neither do drivers nor the sign check; it was seen.
    held = held.slice(1);
    await reservations.poll();
    expect(reservations.get('a')).toBeUndefined();
    expect(reservations.wasSeen('a')).toBe(true);
    expect(reservations.size).toBe(2);
    expect(reservations.inForce(1.5 * HOUR_MS)).toEqual([]);
    expect(reservations.get('b')).toMatchObject({ lotId: 'P2' });
  });
});
