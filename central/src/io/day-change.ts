import type { BayReservation } from '@citybay/proto';
import type { AllocationEvent, Appointment } from '@citybay/sim';
import { refusalsOf } from '../core/appointment-checks.js';
import { answerOf, diffAppointments } from '../core/appointment-day.js';
import type { AppointmentDay } from '../store/store.js';
import type { AllocatorTaskResult } from './allocator-worker.js';
import type { SubmissionResult } from './day-planner.js';

/** One day of a change, ready for the allocator thread. */
export interface PreparedDay {
  dayStartMs: number;
  /** The day's appointments after the change. */
  appointments: Appointment[];
  events: AllocationEvent[];
  isReplan: boolean;
  /** The submitted appointments of this day, to answer for. */
  kept: Appointment[];
}
/** What a change asks of the thread and the store, and how it turns the planned days into its answer. */
export interface PreparedDays<T> {
  days: PreparedDay[];
  /** Nothing is saved (and the version stays) when no assignment moved. */
  isSavedOnlyWhenChanged: boolean;
  isSkippedWhenBehind: boolean;
  saveAttempts: number;
  answer(
    planned: Array<{ dayStartMs: number; result: AllocatorTaskResult; isSaved: boolean }>,
    stored: Map<number, AppointmentDay | undefined>,
  ): T;
}

/** What a submission brings: its appointments by the day they start, and where the store had them before. */
export interface Submission {
  byDay: ReadonlyMap<number, Appointment[]>;
  /** Per stored day, the submitted appointments that now start on another day (they leave it). */
  leaving: ReadonlyMap<number, ReadonlySet<string>>;
  /** Submitted appointments the store had on some day (an update, not a create). */
  storedIds: ReadonlySet<string>;
}

/**
 * A submission's change to its days: refuses (per entry) new or changed appointments that ended or start beyond
 * the horizon — with `isAtomic`, any refusal ends it with nothing to plan — and prepares every day that changes,
 * the days appointments moved away from included (re-planned without them).
 */
export function prepareSubmission(
  submission: Submission,
  stored: Map<number, AppointmentDay | undefined>,
  nowMs: number,
  isAtomic: boolean,
  saveAttempts: number,
): { done: SubmissionResult } | PreparedDays<SubmissionResult> {
  const { byDay, leaving } = submission;
  const refused = [...byDay].flatMap(([d, list]) => refusalsOf(stored.get(d)?.appointments ?? [], list, nowMs));
  const result: SubmissionResult = { answers: new Map(), refused, createdIds: new Set() };
  if (refused.length > 0 && isAtomic) return { done: result };
  const refusedIds = new Set(refused.map((r) => r.appointmentId));
  const days: PreparedDay[] = [];
  for (const dayStartMs of new Set([...byDay.keys(), ...leaving.keys()])) {
    const kept = (byDay.get(dayStartMs) ?? []).filter((a) => !refusedIds.has(a.id));
    const stayed = stored.get(dayStartMs);
    // A refused move leaves its appointment where it was.
    const gone = [...(leaving.get(dayStartMs) ?? [])].filter((id) => !refusedIds.has(id));
    const before =
      stayed === undefined || gone.length === 0
        ? stayed
        : { ...stayed, appointments: stayed.appointments.filter((a) => !gone.includes(a.id)) };
    const isLeft =
      stayed !== undefined && before !== undefined && before.appointments.length < stayed.appointments.length;
    const storedIds = new Set(before?.appointments.map((a) => a.id));
    for (const a of kept) if (!storedIds.has(a.id) && !submission.storedIds.has(a.id)) result.createdIds.add(a.id);
    const diff = diffAppointments(before?.appointments ?? [], kept, nowMs);
    if (before && !isLeft && diff.changedIds.length === 0) {
      for (const a of kept)
        result.answers.set(
          a.id,
          answerOf(
            a,
            before.assignments.find((x) => x.appointmentId === a.id),
          ),
        );
    } else if (kept.length > 0 || isLeft) {
      days.push({
        dayStartMs,
        appointments: diff.merged,
        events: diff.events,
        // The allocator has no event for a car leaving the day: the day is planned again without it.
        isReplan: diff.needsReplan || !before || isLeft,
        kept,
      });
    }
  }
  if (days.length === 0) return { done: result };
  return {
    days,
    isSavedOnlyWhenChanged: false,
    isSkippedWhenBehind: false,
    saveAttempts,
    answer(planned) {
      planned.forEach(({ result: planResult }, i) => {
        for (const a of days[i]!.kept) {
          result.answers.set(
            a.id,
            answerOf(
              a,
              planResult.assignments.find((x) => x.appointmentId === a.id),
            ),
          );
        }
      });
      return result;
    },
  };
}

/** The reservations of several days as one change (an id placed on one day is never removed by another). */
export function mergedReservations(parts: ReadonlyArray<{ upsert: BayReservation[]; removeIds: string[] }>): {
  upsert: BayReservation[];
  removeIds: string[];
} {
  const upsert = parts.flatMap((p) => p.upsert);
  const placed = new Set(upsert.map((r) => r.reservationId));
  return { upsert, removeIds: parts.flatMap((p) => p.removeIds).filter((id) => !placed.has(id)) };
}
