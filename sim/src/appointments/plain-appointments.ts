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
import { parseCsv } from './csv.js';

/** One appointment in the plain JSON form (and one CSV row, with `preferredKinds` as `family|ev`). */
export const PlainAppointmentSchema = Type.Object(
  {
    id: Type.Union([Type.String({ minLength: 1 }), Type.Integer()]),
    start: Type.Union([Type.String(), Type.Number()]),
    end: Type.Optional(Type.Union([Type.String(), Type.Number()])),
    durationMin: Type.Optional(Type.Union([Type.Number(), Type.String()])),
    status: Type.Optional(Type.String()),
    entranceId: Type.Optional(Type.String()),
    requiredKind: Type.Optional(Type.String()),
    preferredKinds: Type.Optional(Type.Union([Type.Array(Type.String()), Type.String()])),
    serviceType: Type.Optional(Type.String()),
    originZoneId: Type.Optional(Type.String()),
    participantRef: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
type PlainAppointment = Static<typeof PlainAppointmentSchema>;

export const CSV_COLUMNS = Object.keys(PlainAppointmentSchema.properties);

/** `[...]` or `{ "appointments": [...] }`. */
export function parsePlainJsonAppointments(document: unknown, fileName: string): Appointment[] {
  const list = Array.isArray(document)
    ? document
    : typeof document === 'object' &&
        document !== null &&
        Array.isArray((document as { appointments?: unknown }).appointments)
      ? (document as { appointments: unknown[] }).appointments
      : invalid(
          fileName,
          'appointments',
          'file',
          `expected an array of appointments or { "appointments": [...] }, got ${describeValue(document)}`,
        );
  const prefix = Array.isArray(document) ? '' : 'appointments';
  return list.map((raw, i) => fromPlain(raw, fileName, `${prefix}[${i}]`, `item ${i}`));
}

/** A header row naming columns from {@link CSV_COLUMNS}, then one appointment per row; empty cells are absent. */
export function parseCsvAppointments(text: string, fileName: string): Appointment[] {
  const rows = parseCsv(text, fileName);
  const header = rows[0]?.cells.map((c) => c.trim());
  if (header === undefined) return [];
  header.forEach((column, i) => {
    if (!CSV_COLUMNS.includes(column))
      invalid(
        fileName,
        `line 1, column ${i + 1}`,
        'header',
        `unknown column ${describeValue(column)} (known: ${CSV_COLUMNS.join(', ')})`,
      );
  });
  return rows.slice(1).map(({ cells, line }) => {
    const record: Record<string, string> = {};
    header.forEach((column, i) => {
      const cell = cells[i]?.trim() ?? '';
      if (cell !== '') record[column] = cell;
    });
    return fromPlain(record, fileName, `line ${line}`, `line ${line}`);
  });
}

function fromPlain(raw: unknown, fileName: string, path: string, fallbackItem: string): Appointment {
  const at = (field: string): string => `${path}.${field}`;
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  const item = typeof id === 'string' || typeof id === 'number' ? `id "${id}"` : fallbackItem;
  const first = Value.Errors(PlainAppointmentSchema, raw).First();
  if (first !== undefined) {
    const field = first.path.replace(/^\//, '').replaceAll('/', '.');
    invalid(fileName, field === '' ? path : at(field), item, `${first.message}, got ${describeValue(first.value)}`);
  }
  const plain = raw as PlainAppointment;
  const startMs = parseInstant(plain.start, fileName, at('start'), item);
  const endMs = resolveEndMs(
    startMs,
    plain.end,
    plain.durationMin,
    fileName,
    { end: at('end'), duration: at('durationMin') },
    item,
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
    status: plain.status === undefined ? 'booked' : parseStatus(plain.status, fileName, at('status'), item),
    entranceId: plain.entranceId ?? DEFAULT_ENTRANCE_ID,
    needs: {
      preferredKinds: preferred.map((kind, i) => parseKind(kind, fileName, at(`preferredKinds[${i}]`), item)),
    },
  };
  if (plain.requiredKind !== undefined)
    appointment.needs.requiredKind = parseKind(plain.requiredKind, fileName, at('requiredKind'), item);
  if (plain.serviceType !== undefined) appointment.serviceType = plain.serviceType;
  if (plain.originZoneId !== undefined) appointment.originZoneId = plain.originZoneId;
  if (plain.participantRef !== undefined) appointment.participantRef = plain.participantRef;
  return appointment;
}
