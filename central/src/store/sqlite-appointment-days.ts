import type Database from 'better-sqlite3';
import { errors } from '../errors.js';
import type { AppointmentDay } from './store.js';

type Prepare = (sql: string) => Database.Statement;

/**
 * Writes one appointment day at `day.version` inside the caller's transaction; throws `CB_APPOINTMENTS_CONFLICT`
 * (rolling the caller's transaction back) unless the stored version is `day.version - 1`.
 */
export function saveAppointmentDayRow(st: Prepare, day: AppointmentDay, nowMs: number): void {
  const row = st('SELECT version FROM appointment_days WHERE site_id = ? AND day_start_ms = ?').get(
    day.siteId,
    day.dayStartMs,
  ) as { version: number } | undefined;
  const stored = row ? Number(row.version) : 0;
  if (stored !== day.version - 1) {
    throw errors.CB_APPOINTMENTS_CONFLICT(
      `appointments of ${day.siteId} for ${new Date(day.dayStartMs).toISOString()} are at version ${stored}, not ${day.version - 1}`,
    );
  }
  st(
    `INSERT INTO appointment_days (site_id, day_start_ms, version, appointments_json, assignments_json, updated_ms)
     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (site_id, day_start_ms) DO UPDATE SET version = excluded.version,
     appointments_json = excluded.appointments_json, assignments_json = excluded.assignments_json, updated_ms = excluded.updated_ms`,
  ).run(
    day.siteId,
    day.dayStartMs,
    day.version,
    JSON.stringify(day.appointments),
    JSON.stringify(day.assignments),
    nowMs,
  );
  // The index: this day's rows are replaced by its appointments (one that moved here from another day moves).
  st('DELETE FROM appointment_index WHERE site_id = ? AND day_start_ms = ?').run(day.siteId, day.dayStartMs);
  const index = st(
    `INSERT INTO appointment_index (site_id, appointment_id, day_start_ms) VALUES (?, ?, ?)
     ON CONFLICT (site_id, appointment_id) DO UPDATE SET day_start_ms = excluded.day_start_ms`,
  );
  for (const a of day.appointments) index.run(day.siteId, a.id, day.dayStartMs);
}

/** The stored day (its local midnight) of each of `appointmentIds` a site has; absent ids are not in the map. */
export function appointmentDaysOf(st: Prepare, siteId: string, appointmentIds: readonly string[]): Map<string, number> {
  const rows = st(
    `SELECT appointment_id, day_start_ms FROM appointment_index
     WHERE site_id = ? AND appointment_id IN (SELECT value FROM json_each(?))`,
  ).all(siteId, JSON.stringify(appointmentIds)) as Array<{ appointment_id: string; day_start_ms: number }>;
  return new Map(rows.map((r) => [String(r.appointment_id), Number(r.day_start_ms)]));
}
