import { errors } from '../errors.js';
import type { AppointmentStatus, BayKind } from '../model/index.js';
import { BAY_KINDS, isBayKind } from '../model/index.js';

export const APPOINTMENT_STATUSES: readonly AppointmentStatus[] = [
  'proposed',
  'pending',
  'booked',
  'arrived',
  'fulfilled',
  'cancelled',
  'noshow',
  'checked-in',
  'waitlist',
  'entered-in-error',
];

/** Entrance used when an appointment names none. */
export const DEFAULT_ENTRANCE_ID = 'main';

/** Reports one bad field; `item` names the appointment (`id "A17"` or `entry[3]`). */
export function invalid(fileName: string, path: string, item: string, problem: string): never {
  throw errors.CB_APPOINTMENT_INVALID(`${fileName}: ${path} (${item}): ${problem}`, { path });
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** An ISO 8601 date-time with a time-zone offset (FHIR `instant`), or epoch milliseconds. */
export function parseInstant(value: unknown, fileName: string, path: string, item: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(value)) {
    const ms = Date.parse(value);
    if (Number.isFinite(ms)) return ms;
  }
  return invalid(
    fileName,
    path,
    item,
    `expected an ISO 8601 date-time with offset (e.g. 2026-03-02T08:30:00+01:00), got ${describeValue(value)}`,
  );
}

export function parseKind(value: unknown, fileName: string, path: string, item: string): BayKind {
  if (isBayKind(value)) return value;
  return invalid(fileName, path, item, `unknown bay kind ${describeValue(value)} (known: ${BAY_KINDS.join(', ')})`);
}

export function parseStatus(value: unknown, fileName: string, path: string, item: string): AppointmentStatus {
  if (typeof value === 'string' && (APPOINTMENT_STATUSES as readonly string[]).includes(value))
    return value as AppointmentStatus;
  return invalid(
    fileName,
    path,
    item,
    `unknown status ${describeValue(value)} (known: ${APPOINTMENT_STATUSES.join(', ')})`,
  );
}

/** End from an explicit end or a duration; exactly what FHIR allows (`end` wins when both are present). */
export function resolveEndMs(
  startMs: number,
  end: unknown,
  durationMin: unknown,
  fileName: string,
  paths: { end: string; duration: string },
  item: string,
): number {
  if (end !== undefined && end !== '') {
    const endMs = parseInstant(end, fileName, paths.end, item);
    if (endMs <= startMs) invalid(fileName, paths.end, item, `expected a time after start, got ${describeValue(end)}`);
    return endMs;
  }
  if (durationMin !== undefined && durationMin !== '') {
    const minutes = typeof durationMin === 'string' ? Number(durationMin) : durationMin;
    if (typeof minutes !== 'number' || !Number.isFinite(minutes) || minutes <= 0) {
      invalid(
        fileName,
        paths.duration,
        item,
        `expected a positive number of minutes, got ${describeValue(durationMin)}`,
      );
    }
    return startMs + minutes * 60_000;
  }
  return invalid(fileName, paths.end, item, `expected an end time or ${paths.duration.split('.').at(-1)}, got neither`);
}
