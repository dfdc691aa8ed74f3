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
}
