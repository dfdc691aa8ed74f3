import type { Appointment, PlayablePlan, PlayedAssignment } from '@citybay/sim';

/** One appointment of central's day as `GET /v1/sites/:siteId/appointments` answers it (the fields a car plays). */
export interface CentralAnswer {
  appointmentId: string;
  outcome: string;
  lotId?: string;
  zoneId?: string;
  /** The bay kind held (`standard`, `family`, ...). */
  kind?: string;
  arrivalWindow?: { fromMs: number; toMs: number };
  /** Until when a placed car's bay is held (calendar ms). */
  holdUntilMs?: number;
  arrivalShiftMin?: number;
  suggestedStart?: string;
}

/** Central's plan for the twin's cars, on the scenario's day, and how many got each outcome. */
export interface CentralPlan {
  plan: PlayablePlan;
  /** Posted appointments per outcome in central's answer (`bay`, `park-and-ride`, `drop-off`, `wait-list`, …). */
  byOutcome: Record<string, number>;
  /** Posted appointments central's day did not answer at all (expected 0: each gets an explicit outcome). */
  unanswered: number;
  /** Central's answer per posted appointment. */
  answers: Map<string, CentralAnswer>;
}

const PLAYED_OUTCOMES = new Set(['bay', 'park-and-ride', 'drop-off', 'wait-list']);

/**
 * Central's answers for the posted appointments as a plan the simulator plays (`preAssignment`): the same outcome,
 * lot, kind, arrival window, hold and move, moved back from the calendar day by `shiftMs`. Pure.
 */
export function centralPlanOf(
  answers: readonly CentralAnswer[],
  posted: readonly Appointment[],
  shiftMs: number,
): CentralPlan {
  const byId = new Map(answers.map((a) => [a.appointmentId, a]));
  const assignments: PlayedAssignment[] = [];
  const byOutcome: Record<string, number> = {};
  const postedAnswers = new Map<string, CentralAnswer>();
  let unanswered = 0;
  for (const appointment of posted) {
    const answer = byId.get(appointment.id);
    if (answer === undefined) {
      unanswered++;
      continue;
    }
    postedAnswers.set(appointment.id, answer);
    byOutcome[answer.outcome] = (byOutcome[answer.outcome] ?? 0) + 1;
    // A car without a window (or released) has nothing to play: it drives as without a plan.
    if (!PLAYED_OUTCOMES.has(answer.outcome) || answer.arrivalWindow === undefined) continue;
    const suggestedMs = answer.suggestedStart === undefined ? Number.NaN : Date.parse(answer.suggestedStart);
    assignments.push({
      appointmentId: appointment.id,
      outcome: answer.outcome as PlayedAssignment['outcome'],
      ...(answer.lotId === undefined ? {} : { lotId: answer.lotId }),
      ...(answer.kind === undefined ? {} : { kind: answer.kind as PlayedAssignment['kind'] }),
      ...(answer.holdUntilMs === undefined ? {} : { holdUntilMs: answer.holdUntilMs - shiftMs }),
      arrivalWindow: { fromMs: answer.arrivalWindow.fromMs - shiftMs, toMs: answer.arrivalWindow.toMs - shiftMs },
      arrivalShiftMin: answer.arrivalShiftMin ?? 0,
      ...(Number.isNaN(suggestedMs)
        ? {}
        : { reschedule: { byMin: (suggestedMs - shiftMs - appointment.startMs) / 60_000 } }),
    });
  }
  return { plan: { assignments }, byOutcome, unanswered, answers: postedAnswers };
}

export interface ReadCentralPlanOptions {
  centralUrl: string;
  hospitalKey: string;
  siteId: string;
  /** The calendar day's date at the site (`YYYY-MM-DD`). */
  date: string;
  posted: readonly Appointment[];
  shiftMs: number;
}

/** Reads the site-day's plan from central once every appointment is posted (later batches may move earlier ones). */
export async function readCentralPlan(options: ReadCentralPlanOptions): Promise<CentralPlan> {
  const { centralUrl, siteId, date } = options;
  const response = await fetch(
    `${centralUrl}/v1/sites/${encodeURIComponent(siteId)}/appointments?date=${encodeURIComponent(date)}`,
    { headers: { authorization: `Bearer ${options.hospitalKey}` }, signal: AbortSignal.timeout(60_000) },
  );
  const text = await response.text();
  if (!response.ok) throw new Error(`GET the appointment day answered ${response.status}: ${text.slice(0, 300)}`);
  const body = JSON.parse(text) as { appointments?: CentralAnswer[] };
  return centralPlanOf(body.appointments ?? [], options.posted, options.shiftMs);
}
