import type { BayReservation } from '@citybay/proto';
import type { AppointmentDay } from '../core/appointment-day-record.js';
import { withReservations } from '../core/directives-doc.js';
import { errors } from '../errors.js';
import type { SqlDirectivesRepository } from './directives-repository.js';
import { appointmentDayFromRow } from './rows.js';
import { compileStatements, type Dialect } from './sql-dialect.js';
import type { SqlRunner } from './sql-runner.js';
import type { AppointmentDayRepository } from './store.js';

const statements = (d: Dialect) => ({
  get: 'SELECT * FROM appointment_days WHERE site_id = :siteId AND day_start_ms = :dayStartMs',
  // Insert for version 1, conditional update otherwise: either way exactly one row changes or we lost a race.
  insertFirst: `INSERT INTO appointment_days
    (site_id, day_start_ms, version, appointments_json, assignments_json, updated_ms)
    VALUES (:siteId, :dayStartMs, :version, :appointmentsJson, :assignmentsJson, :nowMs)
    ON CONFLICT DO NOTHING RETURNING version`,
  updateNext: `UPDATE appointment_days SET version = :version, appointments_json = :appointmentsJson,
    assignments_json = :assignmentsJson, updated_ms = :nowMs
    WHERE site_id = :siteId AND day_start_ms = :dayStartMs AND version = :version - 1 RETURNING version`,
  // The index: a day's rows are replaced by its appointments (one that moved here from another day moves).
  deleteIndex: 'DELETE FROM appointment_index WHERE site_id = :siteId AND day_start_ms = :dayStartMs',
  insertIndex: `INSERT INTO appointment_index (site_id, appointment_id, day_start_ms)
    SELECT :siteId, t.appointment_id, :dayStartMs FROM ${d.jsonStringRows(':idsJson', ['appointment_id'])} AS t
    WHERE true ON CONFLICT (site_id, appointment_id) DO UPDATE SET day_start_ms = excluded.day_start_ms`,
  daysOf: `SELECT appointment_id, day_start_ms FROM appointment_index
    WHERE site_id = :siteId AND appointment_id IN ${d.jsonStrings(':idsJson')}`,
});

/** A site's appointment days (see `AppointmentDayRepository`), written once for both engines. */
export class SqlAppointmentDayRepository implements AppointmentDayRepository {
  private readonly sql;

  constructor(
    private readonly db: SqlRunner,
    private readonly directives: SqlDirectivesRepository,
  ) {
    this.sql = compileStatements(statements, db.dialect);
  }

  async getAppointmentDay(siteId: string, dayStartMs: number): Promise<AppointmentDay | undefined> {
    const row = await this.db.get(this.sql.get, { siteId, dayStartMs });
    return row ? appointmentDayFromRow(row) : undefined;
  }

  async appointmentDaysOf(siteId: string, appointmentIds: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.db.all(this.sql.daysOf, { siteId, idsJson: JSON.stringify(appointmentIds) });
    return new Map(rows.map((r) => [String(r.appointment_id), Number(r.day_start_ms)]));
  }

  async saveAppointmentDays(
    siteId: string,
    days: readonly AppointmentDay[],
    reservations: { upsert: readonly BayReservation[]; removeIds: readonly string[] },
    nowMs: number,
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const day of days) await this.saveDay(tx, day, nowMs);
      await this.directives.change(tx, siteId, (doc) =>
        withReservations(doc, reservations.upsert, reservations.removeIds, nowMs),
      );
    });
  }

  /** Writes one day at `day.version`; `CB_APPOINTMENTS_CONFLICT` (the transaction rolls back) unless it follows. */
  private async saveDay(tx: SqlRunner, day: AppointmentDay, nowMs: number): Promise<void> {
    const params = {
      siteId: day.siteId,
      dayStartMs: day.dayStartMs,
      version: day.version,
      appointmentsJson: JSON.stringify(day.appointments),
      assignmentsJson: JSON.stringify(day.assignments),
      nowMs,
    };
    const written = await tx.all(day.version === 1 ? this.sql.insertFirst : this.sql.updateNext, params);
    if (written.length === 0) {
      throw errors.CB_APPOINTMENTS_CONFLICT(
        `appointments of ${day.siteId} for ${new Date(day.dayStartMs).toISOString()} changed concurrently (expected version ${day.version - 1})`,
      );
    }
    const at = { siteId: day.siteId, dayStartMs: day.dayStartMs };
    await tx.run(this.sql.deleteIndex, at);
    await tx.run(this.sql.insertIndex, { ...at, idsJson: JSON.stringify(day.appointments.map((a) => [a.id])) });
  }
}
