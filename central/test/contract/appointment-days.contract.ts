import { describe, expect, it } from 'vitest';
import { definition, expectCode, freshStore, T0, type StoreFactory } from './store-fixture.js';

/** Appointment days: versioned saves, a stale writer refused, days and reservations saved together. */
export function appointmentDaysContract(name: string, factory: StoreFactory): void {
  describe(`appointment days: ${name}`, () => {
    const current = freshStore(factory);

    it('versions appointment days and refuses a stale writer', async () => {
      const store = current();
      const appointment = {
        id: 'a1',
        startMs: T0 + 3_600_000,
        endMs: T0 + 5_400_000,
        status: 'booked' as const,
        entranceId: 'main',
        needs: { preferredKinds: [] },
      };
      expect(await store.getAppointmentDay(definition.id, T0)).toBeUndefined();
      const day = { siteId: definition.id, dayStartMs: T0, version: 1, appointments: [appointment], assignments: [] };
      const none = { upsert: [], removeIds: [] };
      await store.saveAppointmentDays(definition.id, [day], none, T0);
      expect(await store.getAppointmentDay(definition.id, T0)).toEqual(day);
      await expectCode(store.saveAppointmentDays(definition.id, [day], none, T0), 'CB_APPOINTMENTS_CONFLICT');
      await store.saveAppointmentDays(definition.id, [{ ...day, version: 2, appointments: [] }], none, T0);
      await expectCode(
        store.saveAppointmentDays(definition.id, [{ ...day, version: 2 }], none, T0),
        'CB_APPOINTMENTS_CONFLICT',
      );
      expect((await store.getAppointmentDay(definition.id, T0))?.version).toBe(2);
    });

    it('saves the days of one change and their reservations together, or nothing of them', async () => {
      const store = current();
      // The site's day at T0 is at version 1: saving it as version 1 again is stale.
      await store.saveAppointmentDays(
        definition.id,
        [{ siteId: definition.id, dayStartMs: T0, version: 1, appointments: [], assignments: [] }],
        { upsert: [], removeIds: [] },
        T0,
      );
      const nextDay = T0 + 86_400_000;
      const reservation = {
        reservationId: 'appt-r1',
        lotId: 'P1',
        zoneId: 'A',
        kind: 1,
        bayId: '',
        validFromMs: nextDay + 3_600_000,
        validUntilMs: nextDay + 7_200_000,
      };
      const fresh = { siteId: definition.id, dayStartMs: nextDay, version: 1, appointments: [], assignments: [] };
      const stale = { siteId: definition.id, dayStartMs: T0, version: 1, appointments: [], assignments: [] };
      const before = await store.getDirectives(definition.id);
      await expectCode(
        store.saveAppointmentDays(definition.id, [fresh, stale], { upsert: [reservation], removeIds: [] }, T0),
        'CB_APPOINTMENTS_CONFLICT',
      );
      expect(await store.getAppointmentDay(definition.id, nextDay)).toBeUndefined();
      expect((await store.getDirectives(definition.id)).version).toBe(before.version);
      await store.saveAppointmentDays(definition.id, [fresh], { upsert: [reservation], removeIds: [] }, T0);
      expect((await store.getAppointmentDay(definition.id, nextDay))?.version).toBe(1);
      const after = await store.getDirectives(definition.id);
      expect(after.reservations?.map((r) => r.reservationId)).toContain('appt-r1');
      await store.saveAppointmentDays(
        definition.id,
        [{ ...fresh, version: 2 }],
        { upsert: [], removeIds: ['appt-r1'] },
        T0,
      );
      expect((await store.getDirectives(definition.id)).reservations?.map((r) => r.reservationId) ?? []).not.toContain(
        'appt-r1',
      );
    });

    it('knows the day each appointment is stored on, in the same transaction as the days', async () => {
      const store = current();
      const [d1, d2] = [T0 + 10 * 86_400_000, T0 + 11 * 86_400_000];
      const booked = (id: string, dayStartMs: number) => ({
        id,
        startMs: dayStartMs + 36_000_000,
        endMs: dayStartMs + 39_600_000,
        status: 'booked' as const,
        entranceId: 'main',
        needs: { preferredKinds: [] },
      });
      const none = { upsert: [], removeIds: [] };
      const day = (dayStartMs: number, version: number, ids: string[]) => ({
        siteId: definition.id,
        dayStartMs,
        version,
        appointments: ids.map((id) => booked(id, dayStartMs)),
        assignments: [],
      });
      await store.saveAppointmentDays(definition.id, [day(d1, 1, ['m1', 'm2', 'stay'])], none, T0);
      expect(await store.appointmentDaysOf(definition.id, ['m1', 'stay', 'unknown'])).toEqual(
        new Map([
          ['m1', d1],
          ['stay', d1],
        ]),
      );
      // m1 moves to the next day (both days in one change, either order); m2 is taken off its day.
      await store.saveAppointmentDays(definition.id, [day(d2, 1, ['m1']), day(d1, 2, ['stay'])], none, T0);
      expect(await store.appointmentDaysOf(definition.id, ['m1', 'm2', 'stay'])).toEqual(
        new Map([
          ['m1', d2],
          ['stay', d1],
        ]),
      );
      await store.saveAppointmentDays(definition.id, [day(d1, 3, ['stay', 'm1']), day(d2, 2, [])], none, T0);
      expect((await store.appointmentDaysOf(definition.id, ['m1'])).get('m1')).toBe(d1);
      // A change that fails saves no index either; another site's ids are its own.
      await expectCode(
        store.saveAppointmentDays(definition.id, [day(d2, 3, ['m1']), day(d1, 3, ['stay'])], none, T0),
        'CB_APPOINTMENTS_CONFLICT',
      );
      expect((await store.appointmentDaysOf(definition.id, ['m1'])).get('m1')).toBe(d1);
      expect((await store.appointmentDaysOf('another-site', ['m1'])).size).toBe(0);
    });
  });
}
