import type { Appointment } from '@citybay/sim';
import { type CentralPlan, readCentralPlan } from './central-plan.js';
import { type PostAppointmentsOptions, postAppointments } from './twin-appointments.js';

export interface BookWithCentralOptions extends Omit<PostAppointmentsOptions, 'appointments'> {
  /** The day's car appointments (those whose patients come by car to park): what the hospital books bays for. */
  cars: readonly Appointment[];
  /** The site's offset from UTC (minutes): the day central files the appointments under. */
  utcOffsetMin: number;
}

/** Central's plan for the booked cars, and what the twin waits for before its window starts. */
export interface Booking extends CentralPlan {
  posted: number;
  /** Placed cars (a lot held): the reservation each should find at its edge, and until when it is held (calendar). */
  heldFrom: Array<{ appointmentId: string; holdUntilMs: number }>;
}

/**
 * Books the twin's car appointments with central (`POST /v1/appointments`, FHIR R4 Bundles) and reads back the
 * site-day's plan once all are in (`GET /v1/sites/:siteId/appointments`): the plan the twin's drivers play. Undefined
 * when nothing was booked (central refused, or has no appointment API): the run keeps its own plan.
 */
export async function bookWithCentral(options: BookWithCentralOptions): Promise<Booking | undefined> {
  const { outcome, posted } = await postAppointments({ ...options, appointments: options.cars });
  if (outcome.status !== 'done' || posted.length === 0) return undefined;
  const date = new Date(options.dayStartMs + options.shiftMs + options.utcOffsetMin * 60_000)
    .toISOString()
    .slice(0, 10);
  let plan: CentralPlan;
  try {
    plan = await readCentralPlan({
      centralUrl: options.centralUrl,
      hospitalKey: options.hospitalKey,
      siteId: options.siteId,
      date,
      posted,
      shiftMs: options.shiftMs,
    });
  } catch (err) {
    options.logger.warn({ err }, "central's appointment day not read: the twin keeps its own plan");
    return undefined;
  }
  // The dashboard shows the day as central has it now (a later batch may have moved an earlier appointment).
  const items = outcome.items.map((item) => {
    const answer = plan.answers.get(item.id);
    if (answer === undefined) return item;
    const { lotId: _lot, zoneId: _zone, ...rest } = item;
    return {
      ...rest,
      outcome: answer.outcome,
      ...(answer.lotId === undefined ? {} : { lotId: answer.lotId }),
      ...(answer.zoneId === undefined ? {} : { zoneId: answer.zoneId }),
    };
  });
  const held = [...plan.answers.values()].filter((a) => a.lotId !== undefined && a.holdUntilMs !== undefined);
  options.onProgress({
    ...outcome,
    assigned: held.length,
    byOutcome: { ...plan.byOutcome, ...(plan.unanswered > 0 ? { unanswered: plan.unanswered } : {}) },
    items,
  });
  return {
    ...plan,
    posted: posted.length,
    heldFrom: held.map((a) => ({ appointmentId: a.appointmentId, holdUntilMs: a.holdUntilMs! })),
  };
}
