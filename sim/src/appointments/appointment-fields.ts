import type { AppointmentStatus, BayKind } from '../model/index.js';
import { BAY_KINDS, isBayKind } from '../model/index.js';
import { APPOINTMENT_LIMITS } from './appointment-limits.js';
import { type AppointmentIssue, FieldProblem } from './appointment-read.js';

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
export function invalid(path: string, item: string, problem: string, type: AppointmentIssue['type'] = 'value'): never {
  throw new FieldProblem(path, item, problem, type);
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|([+-])(\d{2}):(\d{2}))$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const RANGE_TEXT = '1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z';

function dayExists(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function inRange(ms: number): boolean {
  return ms >= APPOINTMENT_LIMITS.earliestMs && ms <= APPOINTMENT_LIMITS.latestMs;
}

/** ms of an ISO 8601 date-time with offset; undefined unless it is a real one (no rolling 02-30 into March). */
function instantMs(text: string): number | undefined {
  const m = INSTANT.exec(text);
  if (m === null) return undefined;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const fractionMs = m[7] === undefined ? 0 : Math.floor(Number(m[7]) * 1000);
  const offsetMin = m[8] === 'Z' ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  if (!dayExists(year, month, day) || hour > 23 || minute > 59 || second > 59 || Math.abs(offsetMin) > 14 * 60)
    return undefined;
  const utc = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not read years 0–99 as 1900–1999.
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, fractionMs);
  return utc.getTime() - offsetMin * 60_000;
}

/**
 * An ISO 8601 date-time with a time-zone offset (FHIR `instant`), or — when `isNumberAllowed` (plain JSON, CSV) —
 * whole epoch milliseconds; either within {@link APPOINTMENT_LIMITS}.
 */
export function parseInstant(value: unknown, path: string, item: string, isNumberAllowed = true): number {
  if (isNumberAllowed && typeof value === 'number') {
    if (Number.isInteger(value) && inRange(value)) return value;
    return invalid(path, item, `expected whole epoch milliseconds from ${RANGE_TEXT}, got ${describeValue(value)}`);
  }
  if (typeof value === 'string' && value.length <= 40) {
    const ms = instantMs(value);
    if (ms !== undefined && inRange(ms)) return ms;
  }
  return invalid(
    path,
    item,
    `expected an ISO 8601 date-time with offset from ${RANGE_TEXT} (e.g. 2026-03-02T08:30:00+01:00), got ${describeValue(value)}`,
    typeof value === 'string' || typeof value === 'number' ? 'value' : 'structure',
  );
}

/**
 * A FHIR `dateTime` bound of a period: a date-time with offset, or a date read in `utcOffsetMin` (the start of
 * that day, or for an end the start of the next, since a period's end is inclusive at its precision).
 */
export function parsePeriodBound(
  value: unknown,
  path: string,
  item: string,
  utcOffsetMin: number,
  isEnd: boolean,
): number {
  const m = typeof value === 'string' ? DATE.exec(value) : null;
  if (m === null) return parseInstant(value, path, item, false);
  const [year, month, day] = [m[1], m[2], m[3]].map(Number) as [number, number, number];
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day + (isEnd ? 1 : 0));
  const ms = utc.getTime() - utcOffsetMin * 60_000;
  if (dayExists(year, month, day) && inRange(ms)) return ms;
  return invalid(path, item, `expected a date or date-time from ${RANGE_TEXT}, got ${describeValue(value)}`);
}

export function parseKind(value: unknown, path: string, item: string): BayKind {
  if (isBayKind(value)) return value;
  return invalid(path, item, `unknown bay kind ${describeValue(value)} (known: ${BAY_KINDS.join(', ')})`);
}

export function parseStatus(value: unknown, path: string, item: string): AppointmentStatus {
  if (typeof value === 'string' && (APPOINTMENT_STATUSES as readonly string[]).includes(value))
    return value as AppointmentStatus;
  return invalid(
    path,
    item,
    `unknown status ${describeValue(value)} (known: ${APPOINTMENT_STATUSES.join(', ')})`,
    value === undefined ? 'required' : 'value',
  );
}

/** A length in minutes: a number (or numeric text, for CSV), more than 0 and at most the limit. */
export function parseDurationMin(value: unknown, path: string, item: string, isTextAllowed: boolean): number {
  const minutes = isTextAllowed && typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof minutes === 'number' && Number.isFinite(minutes) && minutes > 0) {
    if (minutes <= APPOINTMENT_LIMITS.maxDurationMin) return minutes;
  }
  return invalid(
    path,
    item,
    `expected minutes more than 0 and at most ${APPOINTMENT_LIMITS.maxDurationMin}, got ${describeValue(value)}`,
  );
}

/** Refuses an appointment longer than the limit, naming `path` (its end or duration). */
export function checkDuration(startMs: number, endMs: number, path: string, item: string): void {
  if (endMs <= startMs) invalid(path, item, 'expected a time after start');
  const minutes = (endMs - startMs) / 60_000;
  if (minutes > APPOINTMENT_LIMITS.maxDurationMin) {
    invalid(
      path,
      item,
      `the appointment would last ${Math.round(minutes)} min, more than the ${APPOINTMENT_LIMITS.maxDurationMin} min a bay is planned for`,
    );
  }
}

/** End from an explicit end or a duration (`end` wins when both are present), within the limits. */
export function resolveEndMs(
  startMs: number,
  end: unknown,
  durationMin: unknown,
  paths: { end: string; duration: string },
  item: string,
  isPlain: boolean,
): number {
  if (end !== undefined && end !== '') {
    const endMs = parseInstant(end, paths.end, item, isPlain);
    checkDuration(startMs, endMs, paths.end, item);
    return endMs;
  }
  if (durationMin !== undefined && durationMin !== '') {
    return startMs + parseDurationMin(durationMin, paths.duration, item, isPlain) * 60_000;
  }
  return invalid(
    paths.end,
    item,
    `expected an end time or ${paths.duration.split('.').at(-1)}, got neither`,
    'required',
  );
}

/** A string of at most `maxLength` characters, or undefined when absent. */
export function optionalText(
  value: unknown,
  path: string,
  item: string,
  maxLength: number = APPOINTMENT_LIMITS.maxTextLength,
): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && value.length <= maxLength) return value;
  return invalid(
    path,
    item,
    `expected text of at most ${maxLength} characters, got ${describeValue(value)}`,
    typeof value === 'string' ? 'value' : 'structure',
  );
}
