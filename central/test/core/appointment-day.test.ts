import { BAY_KIND_BY_NAME } from '@citybay/proto';
import { type Appointment, type Assignment, LATE_ARRIVAL_GRACE_MIN } from '@citybay/sim';
import { describe, expect, it } from 'vitest';
import { diffAppointments, reservationIdOf, reservationsOf } from '../../src/core/appointment-day.js';

const T = Date.parse('2026-11-20T09:00:00Z');
const NOW = T - 86_400_000;
const booked = (id: string, startMs = T, endMs = T + 3_600_000): Appointment => ({
  id,
  startMs,
  endMs,
  status: 'booked',
  entranceId: 'main',
  needs: { preferredKinds: [] },
});

describe('diffAppointments', () => {
  it('expresses a moved start or end as the hospital moving the appointment, so shifts are offered again', () => {
    const moved = booked('a', T + 3_600_000, T + 7_200_000);
    const longer = booked('b', T, T + 5_400_000);
    const diff = diffAppointments([booked('a'), booked('b'), booked('c')], [moved, longer], NOW);
    expect(diff.needsReplan).toBe(false);
    expect(diff.changedIds).toEqual(['a', 'b']);
    expect(diff.events).toEqual([
      { type: 'appointment-changed', appointment: moved, atMs: NOW },
      { type: 'appointment-changed', appointment: longer, atMs: NOW },
    ]);
    expect(diff.merged.map((a) => a.id)).toEqual(['a', 'b', 'c']);
  });

  it('re-plans the day for a change no event expresses (another entrance or needs)', () => {
    const elsewhere = { ...booked('a'), entranceId: 'east' };
    expect(diffAppointments([booked('a')], [elsewhere], NOW)).toMatchObject({ needsReplan: true, events: [] });
    const unchanged = diffAppointments([booked('a')], [booked('a')], NOW);
    expect(unchanged).toMatchObject({ needsReplan: false, events: [], changedIds: [] });
  });
});

describe('reservationsOf', () => {
  const placed = (id: string, fields: Partial<Assignment> = {}): Assignment =>
    ({
      appointmentId: id,
      outcome: 'bay',
      placed: true,
      lotId: 'H',
      kind: 'standard',
      arrivalWindow: { fromMs: T - 1_800_000, toMs: T - 900_000 },
      holdUntilMs: T + 5_400_000,
      arrivalShiftMin: 0,
      ...fields,
    }) as Assignment;

  it('withholds a bay over its arrival window and the grace, not to the end of the stay (its car has parked)', () => {
    const { upsert, removeIds } = reservationsOf(
      [placed('a'), placed('b', { outcome: 'drop-off', placed: false, lotId: undefined })],
      ['a', 'b'],
    );
    expect(upsert).toEqual([
      {
        reservationId: reservationIdOf('a'),
        lotId: 'H',
        zoneId: '',
        kind: BAY_KIND_BY_NAME.standard,
        bayId: '',
        validFromMs: T - 1_800_000,
        validUntilMs: T - 900_000 + LATE_ARRIVAL_GRACE_MIN * 60_000,
      },
    ]);
    expect(removeIds).toEqual([reservationIdOf('b')]);
  });
});
