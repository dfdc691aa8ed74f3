import { type Appointment, toFhirAppointmentBundle } from '@citybay/sim';
import type { Logger } from 'pino';

const BATCH = 200;

/** One appointment as the dashboard lists it: when, what it needs, and the lot central assigned. */
export interface AppointmentItem {
  id: string;
  startMs: number;
  /** Start in the simulated day (s after its midnight). */
  simStartS: number;
  kind: string;
  /** Central's answer for it: `bay`, `park-and-ride`, `drop-off` or `wait-list`. */
  outcome?: string;
  lotId?: string;
  zoneId?: string;
}

export interface AppointmentsOutcome {
  /** `unavailable`: central has no appointment API (404); `refused`: it answered with an error. */
  status: 'not-posted' | 'posting' | 'done' | 'unavailable' | 'refused';
  posted: number;
  /** Posted appointments with a lot (a bay or a park-and-ride lot). */
  assigned: number;
  /** Posted appointments per outcome in central's answers: every one gets one (never silence). */
  byOutcome: Record<string, number>;
  message?: string;
  /** The earliest appointments with their assignments (at most 200). */
  items: AppointmentItem[];
}

export interface PostAppointmentsOptions {
  centralUrl: string;
  hospitalKey: string;
  /** Site whose lots the appointments are allocated to. */
  siteId: string;
  /** The simulated day's appointments, and its local midnight (ms). */
  appointments: readonly Appointment[];
  dayStartMs: number;
  /** How far the simulated day is moved onto the calendar (whole days, ms): the twin's clock runs on that day. */
  shiftMs: number;
  /** Window of the day (s after midnight) whose appointments are sent, widened by an hour each side. */
  fromS: number;
  toS: number;
  logger: Logger;
  onProgress(outcome: AppointmentsOutcome): void;
  /** The calendar central plans on (ms): appointments over by then are not sent. Default: send all. */
  calendarNowMs?: () => number;
  /** How much faster than the wall clock that calendar runs. Default 1. */
  speed?: number;
  /** A batch is being sent (real ms): for the directive round trip. */
  onPosting?(appointmentIds: readonly string[], atMs: number): void;
}

/** The assignment of one appointment in central's answer, whatever the exact shape of the list. */
function assignmentsOf(body: unknown): Map<string, { outcome?: string; lotId?: string; zoneId?: string }> {
  const out = new Map<string, { outcome?: string; lotId?: string; zoneId?: string }>();
  const record = body as Record<string, unknown> | null;
  const list = Array.isArray(body) ? body : (record?.assignments ?? record?.results ?? record?.appointments ?? []);
  if (!Array.isArray(list)) return out;
  for (const raw of list as Array<Record<string, unknown>>) {
    const id = (raw.appointmentId ?? raw.id) as string | undefined;
    const nested = (raw.assignment ?? raw) as Record<string, unknown>;
    const lotId = (nested.lotId ?? nested.lot) as string | undefined;
    if (id === undefined) continue;
    out.set(id, {
      ...(typeof raw.outcome === 'string' ? { outcome: raw.outcome } : {}),
      ...(typeof lotId === 'string' ? { lotId } : {}),
      ...(typeof nested.zoneId === 'string' ? { zoneId: nested.zoneId } : {}),
    });
  }
  return out;
}

/** What was posted: the outcome as the dashboard shows it, and the appointments central took. */
export interface PostedAppointments {
  outcome: AppointmentsOutcome;
  posted: Appointment[];
}

/**
 * Posts the day's appointments to central's hospital appointment API as FHIR R4 Bundles, in
 * batches, and reports what central assigned. Stops at the first refusal and says why.
 */
export async function postAppointments(options: PostAppointmentsOptions): Promise<PostedAppointments> {
  const { logger, shiftMs, dayStartMs } = options;
  const fromMs = dayStartMs + (options.fromS - 3600) * 1000;
  const toMs = dayStartMs + (options.toS + 3600) * 1000;
  const chosen = options.appointments
    .filter((a) => a.startMs >= fromMs && a.startMs < toMs)
    .sort((a, b) => a.startMs - b.startMs);
  const outcome: AppointmentsOutcome = {
    status: 'posting',
    posted: 0,
    assigned: 0,
    byOutcome: {},
    items: chosen.slice(0, 200).map((a) => ({
      id: a.id,
      startMs: a.startMs + shiftMs,
      simStartS: Math.round((a.startMs - dayStartMs) / 1000),
      kind: a.needs.requiredKind ?? a.needs.preferredKinds[0] ?? 'standard',
    })),
  };
  options.onProgress({ ...outcome });
  const itemById = new Map(outcome.items.map((item) => [item.id, item]));
  const posted: Appointment[] = [];
  for (let i = 0; i < chosen.length; i += BATCH) {
    // Central plans on the twin's calendar and refuses appointments already over: leave those out (with a minute's
    // margin for the time this batch takes to arrive).
    const overBeforeMs = (options.calendarNowMs?.() ?? 0) - shiftMs + 60_000 * (options.speed ?? 1);
    const batch = chosen.slice(i, i + BATCH).filter((a) => a.endMs > overBeforeMs);
    if (batch.length === 0) continue;
    let response: Response;
    options.onPosting?.(
      batch.map((a) => a.id),
      Date.now(),
    );
    try {
      response = await fetch(`${options.centralUrl}/v1/appointments?siteId=${encodeURIComponent(options.siteId)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.hospitalKey}` },
        body: JSON.stringify(toFhirAppointmentBundle(batch, shiftMs)),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (err) {
      outcome.status = 'refused';
      outcome.message = `central did not answer: ${(err as Error).message}`;
      logger.warn({ err }, 'appointments not posted');
      break;
    }
    const text = await response.text();
    if (response.status === 404) {
      outcome.status = 'unavailable';
      outcome.message = 'central has no appointment API (POST /v1/appointments answered 404)';
      logger.warn(outcome.message);
      break;
    }
    if (!response.ok) {
      outcome.status = 'refused';
      outcome.message = `POST /v1/appointments answered ${response.status}: ${text.slice(0, 300)}`;
      logger.warn({ status: response.status, body: text.slice(0, 500) }, 'central refused the appointments');
      break;
    }
    outcome.posted += batch.length;
    posted.push(...batch);
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
    const batchIds = new Set(batch.map((a) => a.id));
    const answered = assignmentsOf(body);
    for (const id of batchIds) {
      // Central answers each appointment it planned; one it left out is counted as such, not taken for a bay.
      const assignment = answered.get(id) ?? { outcome: 'unanswered' };
      if (assignment.lotId !== undefined) outcome.assigned++;
      const name = assignment.outcome ?? (assignment.lotId === undefined ? 'unanswered' : 'bay');
      outcome.byOutcome[name] = (outcome.byOutcome[name] ?? 0) + 1;
      const item = itemById.get(id);
      if (item !== undefined) Object.assign(item, assignment);
    }
    options.onProgress({ ...outcome, byOutcome: { ...outcome.byOutcome }, items: [...outcome.items] });
  }
  if (outcome.status === 'posting') {
    outcome.status = 'done';
    logger.info(
      { posted: outcome.posted, assigned: outcome.assigned, byOutcome: outcome.byOutcome },
      'appointments posted to central',
    );
  }
  options.onProgress({ ...outcome, byOutcome: { ...outcome.byOutcome }, items: [...outcome.items] });
  return { outcome, posted };
}
