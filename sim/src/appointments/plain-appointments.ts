import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { Appointment } from '../model/index.js';
import {
  DEFAULT_ENTRANCE_ID,
  describeValue,
  invalid,
  parseInstant,
  parseKind,
  parseStatus,
  resolveEndMs,
} from './appointment-fields.js';
import { APPOINTMENT_LIMITS } from './appointment-limits.js';
import {
  type AppointmentEntry,
  type AppointmentFieldPaths,
  type AppointmentRead,
  FieldProblem,
} from './appointment-read.js';
import { parseCsv } from './csv.js';
import { EntryCollector } from './entry-collector.js';

const { maxIdLength, maxTextLength, maxDurationMin, earliestMs, latestMs } = APPOINTMENT_LIMITS;
const Instant = Type.Union([
  Type.String({
    maxLength: 40,
    description: 'ISO 8601 date-time with offset, 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z',
  }),
  Type.Integer({ minimum: earliestMs, maximum: latestMs, description: 'ms since the epoch' }),
]);

/** One appointment in the plain JSON form (and one CSV row, with `preferredKinds` as `family|ev`). */
export const PlainAppointmentSchema = Type.Object(
  {
    id: Type.Union([
      Type.String({ minLength: 1, maxLength: maxIdLength }),
      Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
    ]),
    start: Instant,
    end: Type.Optional(Instant),
    /** Minutes, more than 0 and at most 1440 (text in CSV). */
    durationMin: Type.Optional(
      Type.Union([Type.Number({ exclusiveMinimum: 0, maximum: maxDurationMin }), Type.String({ maxLength: 12 })]),
    ),
    status: Type.Optional(Type.String({ maxLength: 32 })),
    entranceId: Type.Optional(Type.String({ minLength: 1, maxLength: maxIdLength })),
    requiredKind: Type.Optional(Type.String({ maxLength: 32 })),
    preferredKinds: Type.Optional(
      Type.Union([Type.Array(Type.String({ maxLength: 32 }), { maxItems: 8 }), Type.String({ maxLength: 200 })]),
    ),
    serviceType: Type.Optional(Type.String({ maxLength: maxTextLength })),
    originZoneId: Type.Optional(Type.String({ maxLength: maxIdLength })),
    participantRef: Type.Optional(Type.String({ maxLength: maxTextLength })),
  },
  { additionalProperties: false },
);
type PlainAppointment = Static<typeof PlainAppointmentSchema>;

export const CSV_COLUMNS = Object.keys(PlainAppointmentSchema.properties);

/** `[...]` or `{ "appointments": [...] }`; never throws on bad input (see {@link AppointmentRead}). */
export function readPlainJsonAppointments(document: unknown): AppointmentRead {
  const collector = new EntryCollector();
  const list = Array.isArray(document)
    ? document
    : typeof document === 'object' &&
        document !== null &&
        Array.isArray((document as { appointments?: unknown }).appointments)
      ? (document as { appointments: unknown[] }).appointments
      : undefined;
  const prefix = Array.isArray(document) ? '' : 'appointments';
  if (list === undefined) {
    collector.issue({
      severity: 'error',
      type: 'structure',
      path: 'appointments',
      message: `appointments: expected an array of appointments or { "appointments": [...] }, got ${describeValue(document)}`,
    });
  } else if (collector.checkCount(list.length, prefix, APPOINTMENT_LIMITS.maxAppointments)) {
    list.forEach((raw, index) => {
      const entry: AppointmentEntry = { index, path: `${prefix}[${index}]`, outcome: 'invalid' };
      collector.read(entry, () => fromPlain(raw, entry.path, `item ${index}`));
    });
  }
  return { format: 'json', container: 'plain', ...collector.finish() };
}

/** A header naming columns from {@link CSV_COLUMNS}, then one appointment per row; empty cells are absent. */
export function readCsvAppointments(text: string): AppointmentRead {
  const collector = new EntryCollector();
  const done = (): AppointmentRead => ({ format: 'csv', container: 'csv', ...collector.finish() });
  let rows: ReturnType<typeof parseCsv>;
  try {
    rows = parseCsv(text);
  } catch (err) {
    if (!(err instanceof FieldProblem)) throw err;
    collector.issue({ severity: 'error', type: err.type, path: err.path, message: err.message });
    return done();
  }
  const header = rows[0]?.cells.map((c) => c.trim());
  if (header === undefined) return done();
  const unknown = header.findIndex((column) => !CSV_COLUMNS.includes(column));
  if (unknown >= 0) {
    collector.issue({
      severity: 'error',
      type: 'structure',
      path: `line 1, column ${unknown + 1}`,
      message: `line 1, column ${unknown + 1} (header): unknown column ${describeValue(header[unknown])} (known: ${CSV_COLUMNS.join(', ')})`,
    });
    return done();
  }
  if (!collector.checkCount(rows.length - 1, 'rows', APPOINTMENT_LIMITS.maxAppointments)) return done();
  rows.slice(1).forEach(({ cells, line }, index) => {
    const record: Record<string, string> = {};
    header.forEach((column, i) => {
      const cell = cells[i]?.trim() ?? '';
      if (cell !== '') record[column] = cell;
    });
    const entry: AppointmentEntry = { index, path: `line ${line}`, outcome: 'invalid' };
    collector.read(entry, () => fromPlain(record, entry.path, `line ${line}`));
  });
  return done();
}

function fromPlain(
  raw: unknown,
  path: string,
  fallbackItem: string,
): { appointment: Appointment; fields: AppointmentFieldPaths } {
  const at = (field: string): string => `${path}.${field}`;
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  const item =
    (typeof id === 'string' && id.length <= maxIdLength) || typeof id === 'number' ? `id "${id}"` : fallbackItem;
  const first = Value.Errors(PlainAppointmentSchema, raw).First();
  if (first !== undefined) {
    const field = first.path
      .replace(/^\//, '')
      .replaceAll('/', '.')
      .replace(/\.(\d+)(?=\.|$)/g, '[$1]');
    invalid(field === '' ? path : at(field), item, `${first.message}, got ${describeValue(first.value)}`, 'structure');
  }
  const plain = raw as PlainAppointment;
  const startMs = parseInstant(plain.start, at('start'), item);
  const endMs = resolveEndMs(
    startMs,
    plain.end,
    plain.durationMin,
    { end: at('end'), duration: at('durationMin') },
    item,
    true,
  );
  const preferred =
    typeof plain.preferredKinds === 'string'
      ? plain.preferredKinds
          .split('|')
          .map((s) => s.trim())
          .filter((s) => s !== '')
      : (plain.preferredKinds ?? []);
  const appointment: Appointment = {
    id: String(plain.id),
    startMs,
    endMs,
    status: plain.status === undefined ? 'booked' : parseStatus(plain.status, at('status'), item),
    entranceId: plain.entranceId ?? DEFAULT_ENTRANCE_ID,
    needs: {
      preferredKinds: preferred.map((kind, i) => parseKind(kind, at(`preferredKinds[${i}]`), item)),
    },
  };
  if (plain.requiredKind !== undefined)
    appointment.needs.requiredKind = parseKind(plain.requiredKind, at('requiredKind'), item);
  if (plain.serviceType !== undefined) appointment.serviceType = plain.serviceType;
  if (plain.originZoneId !== undefined) appointment.originZoneId = plain.originZoneId;
  if (plain.participantRef !== undefined) appointment.participantRef = plain.participantRef;
  const fields: AppointmentFieldPaths = {
    id: at('id'),
    start: at('start'),
    status: at('status'),
    entrance: plain.entranceId === undefined ? path : at('entranceId'),
    preferredKinds: preferred.map((_, i) => at(`preferredKinds[${i}]`)),
  };
  if (plain.requiredKind !== undefined) fields.requiredKind = at('requiredKind');
  return { appointment, fields };
}
