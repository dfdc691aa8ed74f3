import type { Appointment } from '@citybay/sim';
import { describe, expect, it } from 'vitest';
import { diffAppointments } from '../../src/core/appointment-day.js';

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
