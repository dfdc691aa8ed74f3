import type pg from 'pg';
import { errors } from '../errors.js';
import type { AppointmentDay } from './store.js';

/**
 * Writes one appointment day at `day.version` on the caller's transaction; throws `CB_APPOINTMENTS_CONFLICT`
 * (the caller rolls back) unless the stored version is `day.version - 1`.
 */
export async function saveAppointmentDayRow(c: pg.PoolClient, day: AppointmentDay, nowMs: number): Promise<void> {
  const values = [
    day.siteId,
    day.dayStartMs,
    day.version,
    JSON.stringify(day.appointments),
    JSON.stringify(day.assignments),
    nowMs,
  ];
  // Insert for version 1, conditional update otherwise: either way exactly one row changes or we lost a race.
  const result =
    day.version === 1
      ? await c.query(
          `INSERT INTO appointment_days (site_id, day_start_ms, version, appointments_json, assignments_json, updated_ms)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING version`,
          values,
        )
      : await c.query(
          `UPDATE appointment_days SET version = $3, appointments_json = $4, assignments_json = $5, updated_ms = $6
           WHERE site_id = $1 AND day_start_ms = $2 AND version = $3 - 1 RETURNING version`,
          values,
        );
  if (result.rows.length === 0) {
    throw errors.CB_APPOINTMENTS_CONFLICT(
      `appointments of ${day.siteId} for ${new Date(day.dayStartMs).toISOString()} changed concurrently (expected version ${day.version - 1})`,
    );
  }
  // The index: this day's rows are replaced by its appointments (one that moved here from another day moves).
  await c.query('DELETE FROM appointment_index WHERE site_id = $1 AND day_start_ms = $2', [day.siteId, day.dayStartMs]);
  await c.query(
    `INSERT INTO appointment_index (site_id, appointment_id, day_start_ms) SELECT $1, id, $2 FROM unnest($3::text[]) AS id
     ON CONFLICT (site_id, appointment_id) DO UPDATE SET day_start_ms = excluded.day_start_ms`,
    [day.siteId, day.dayStartMs, day.appointments.map((a) => a.id)],
  );
}

/** The stored day (its local midnight) of each of `appointmentIds` a site has; absent ids are not in the map. */
export async function appointmentDaysOf(
  query: (sql: string, values: unknown[]) => Promise<Array<Record<string, unknown>>>,
  siteId: string,
  appointmentIds: readonly string[],
): Promise<Map<string, number>> {
  const rows = await query(
    'SELECT appointment_id, day_start_ms FROM appointment_index WHERE site_id = $1 AND appointment_id = ANY($2::text[])',
    [siteId, [...appointmentIds]],
  );
  return new Map(rows.map((r) => [String(r.appointment_id), Number(r.day_start_ms)]));
}
