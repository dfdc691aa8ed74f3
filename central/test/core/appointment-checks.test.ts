import type { Appointment, AppointmentEntry } from '@citybay/sim';
import { describe, expect, it } from 'vitest';
import { APPOINTMENT_HORIZON_DAYS, refusalsOf, siteIssuesOf } from '../../src/core/appointment-checks.js';

const NOW = Date.parse('2026-11-18T11:00:00Z');
const appointment = (id: string, startIso: string, extra: Partial<Appointment> = {}): Appointment => ({
  id,
  startMs: Date.parse(startIso),
  endMs: Date.parse(startIso) + 30 * 60_000,
  status: 'booked',
  entranceId: 'main',
  needs: { preferredKinds: [] },
  ...extra,
});

describe('refusalsOf', () => {
  it('refuses new appointments that ended, or start beyond the horizon', () => {
    const far = new Date(NOW + (APPOINTMENT_HORIZON_DAYS + 1) * 86_400_000).toISOString();
    const refused = refusalsOf(
      [],
      [
        appointment('past', '2026-11-18T09:00:00Z'),
        appointment('now', '2026-11-18T10:45:00Z'),
        appointment('far', far),
      ],
      NOW,
    );
    expect(refused.map((r) => [r.appointmentId, r.code])).toEqual([
      ['past', 'CB_APPOINTMENTS_PAST'],
      ['far', 'CB_APPOINTMENTS_TOO_FAR'],
    ]);
  });

  it('takes an unchanged resubmission and a status update of one that is over', () => {
    const stored = appointment('a', '2026-11-18T08:00:00Z');
    expect(refusalsOf([stored], [stored], NOW)).toEqual([]);
    expect(refusalsOf([stored], [{ ...stored, status: 'fulfilled' }], NOW)).toEqual([]);
    expect(refusalsOf([stored], [{ ...stored, status: 'noshow' }], NOW)).toEqual([]);
    expect(refusalsOf([stored], [{ ...stored, entranceId: 'east' }], NOW)).toHaveLength(1);
  });
});

describe('siteIssuesOf', () => {
  const entry = (a: Appointment, fields: Partial<AppointmentEntry['fields']> = {}): AppointmentEntry => ({
    index: 3,
    path: 'Bundle.entry[3].resource',
    outcome: 'appointment',
    appointment: a,
    fields: { id: 'x', start: 'x', status: 'x', entrance: 'Bundle.entry[3].resource', preferredKinds: [], ...fields },
  });
  it('names the field of an unknown entrance or a kind never pre-assigned', () => {
    const issues = siteIssuesOf(
      [
        entry(appointment('e', '2026-11-19T09:00:00Z', { entranceId: 'east' }), {
          entrance: 'Bundle.entry[3].resource.extension[0].valueString',
        }),
        entry(appointment('s', '2026-11-19T09:00:00Z', { needs: { requiredKind: 'staff', preferredKinds: [] } }), {
          requiredKind: 'Bundle.entry[3].resource.extension[1].valueCode',
        }),
        entry(appointment('ok', '2026-11-19T09:00:00Z')),
      ],
      new Set(['main']),
    );
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ['CB_APPOINTMENTS_UNPLANNABLE', 'Bundle.entry[3].resource.extension[0].valueString'],
      ['CB_APPOINTMENTS_UNPLANNABLE', 'Bundle.entry[3].resource.extension[1].valueCode'],
    ]);
  });
});
