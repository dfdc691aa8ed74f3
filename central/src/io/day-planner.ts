import { CitybayError, type Clock } from '@citybay/common';
import type { AllocationEvent, Appointment } from '@citybay/sim';
import {
  type AppointmentAnswer,
  allocatorLotsOf,
  answerOf,
  diffAppointments,
  reservationsOf,
} from '../core/appointment-day.js';
import { changedAssignmentCount, objectiveOf } from '../core/assignment-changes.js';
import { committedAssignmentsOf } from '../core/committed-cars.js';
import type { SiteDefinition } from '../core/site-definition.js';
import { errors } from '../errors.js';
import type { AppointmentDay, CentralStore } from '../store/store.js';
import { type AllocatorPool, createAllocatorPool } from './allocator-pool.js';
import type { AllocatorTaskResult } from './allocator-worker.js';

/** Attempts when another central instance changes the same day at the same time. */
const SAVE_ATTEMPTS = 3;

/** What a re-optimisation of one site-day did. */
export interface ReoptimiseResult {
  /** The day's version now: one more than before when an assignment moved, the same otherwise. */
  version: number;
  objectiveBeforeS: number;
  objectiveAfterS: number;
  /** Appointments that got another lot, zone, bay kind or arrival slot. */
  changedAssignments: number;
  /** A new version was saved and the reservations updated (something moved, or the day was re-planned). */
  isSaved: boolean;
  /** This instance's allocator thread did not hold the day, so it was planned from scratch. */
  isReplanned: boolean;
  /** Left alone: the allocator thread did not hold the day (`isBackground` only). */
  isSkipped: boolean;
}

export interface ReoptimiseOptions {
  /**
   * The periodic job: skip a day this instance's allocator thread does not hold, and give up at once on a
   * conflict (another instance changed the day just now; the next run will see it). Default false.
   */
  isBackground?: boolean;
}

/**
 * Every change to a site-day's plan goes through here: appointment submissions and re-optimisations share
 * one queue per site-day (so they never interleave in this instance), one allocator thread and one
 * versioned save (so other instances' changes are never overwritten).
 */
export interface DayPlanner {
  /** Merges appointments into their stored day, plans it and answers for each of them. */
  planAppointments(site: SiteDefinition, dayStartMs: number, incoming: Appointment[]): Promise<AppointmentAnswer[]>;
  /** Re-optimises the stored day; `undefined` when the day has no appointments. */
  reoptimiseDay(
    site: SiteDefinition,
    dayStartMs: number,
    options?: ReoptimiseOptions,
  ): Promise<ReoptimiseResult | undefined>;
  /** Drops the allocator thread's state of days that started before `beforeMs`; answers how many. */
  forgetDaysBefore(beforeMs: number): Promise<number>;
  /** Lets the work queued so far finish, then stops the allocator thread. */
  close(): Promise<void>;
}

/** How one kind of change turns the stored day into allocator input, and the result into an answer. */
interface DayChange<T> {
  prepare(stored: AppointmentDay | undefined, nowMs: number): { done: T } | PreparedChange;
  answer(planned: PlannedDay): T;
}
interface PreparedChange {
  appointments: Appointment[];
  events: AllocationEvent[];
  isReplan: boolean;
  /** Nothing is saved (and the version stays) when no assignment moved. */
  isSavedOnlyWhenChanged: boolean;
  isSkippedWhenBehind: boolean;
  saveAttempts: number;
}
interface PlannedDay {
  stored: AppointmentDay | undefined;
  version: number;
  isSaved: boolean;
  result: AllocatorTaskResult;
}

export function createDayPlanner(deps: { store: CentralStore; clock: Clock }): DayPlanner {
  const { store, clock } = deps;
  let pool: AllocatorPool | undefined;
  let isClosed = false;
  const queues = new Map<string, Promise<unknown>>();

  const serialised = <T>(key: string, work: () => Promise<T>): Promise<T> => {
    if (isClosed) return Promise.reject(errors.CB_HTTP_SHUTTING_DOWN('central is shutting down; retry shortly'));
    const previous = queues.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    queues.set(key, settled);
    void settled.then(() => {
      if (queues.get(key) === settled) queues.delete(key);
    });
    return next;
  };

  async function changeDay<T>(site: SiteDefinition, dayStartMs: number, change: DayChange<T>): Promise<T> {
    pool ??= createAllocatorPool();
    const key = `${site.id}/${dayStartMs}`;
    for (let attempt = 1; ; attempt++) {
      const stored = await store.getAppointmentDay(site.id, dayStartMs);
      const nowMs = clock.nowMs();
      const prepared = change.prepare(stored, nowMs);
      if ('done' in prepared) return prepared.done;
      const version = (stored?.version ?? 0) + 1;
      const result = await pool.allocateDay({
        key,
        version,
        day: { dayStartMs, appointments: prepared.appointments, lots: allocatorLotsOf(site) },
        events: prepared.events,
        // Computed here, where the stored assignments are: the thread may have to plan the day from scratch.
        committed: committedAssignmentsOf(prepared.appointments, stored?.assignments ?? [], nowMs),
        nowMs,
        isReplan: prepared.isReplan,
        isSavedOnlyWhenChanged: prepared.isSavedOnlyWhenChanged,
        isSkippedWhenBehind: prepared.isSkippedWhenBehind,
      });
      if (result.error) {
        const { code, message, statusCode, path } = result.error;
        throw new CitybayError(code, message, { statusCode, ...(path ? { path } : {}) });
      }
      if (result.isSkipped || (result.isUnchanged && prepared.isSavedOnlyWhenChanged)) {
        return change.answer({ stored, version: stored?.version ?? 0, isSaved: false, result });
      }
      try {
        await store.saveAppointmentDay(
          {
            siteId: site.id,
            dayStartMs,
            version,
            appointments: prepared.appointments,
            assignments: result.assignments,
          },
          nowMs,
        );
      } catch (err) {
        // The thread now holds a version the store does not (or holds another instance's under the same
        // number): it must plan the day again from what is stored.
        await pool.forgetDay(key);
        const isConflict = err instanceof CitybayError && err.code === 'CB_APPOINTMENTS_CONFLICT';
        if (isConflict && attempt < prepared.saveAttempts) continue;
        throw err;
      }
      const { upsert, removeIds } = reservationsOf(
        result.assignments,
        prepared.appointments.map((a) => a.id),
      );
      await store.updateReservations(site.id, upsert, removeIds, nowMs);
      return change.answer({ stored, version, isSaved: true, result });
    }
  }

  return {
    planAppointments(site, dayStartMs, incoming) {
      return serialised(`${site.id}/${dayStartMs}`, () =>
        changeDay<AppointmentAnswer[]>(site, dayStartMs, {
          prepare(stored, nowMs) {
            const diff = diffAppointments(stored?.appointments ?? [], incoming, nowMs);
            if (stored && diff.changedIds.length === 0) {
              return {
                done: incoming.map((a) =>
                  answerOf(
                    a,
                    stored.assignments.find((x) => x.appointmentId === a.id),
                  ),
                ),
              };
            }
            return {
              appointments: diff.merged,
              events: diff.events,
              isReplan: diff.needsReplan || !stored,
              isSavedOnlyWhenChanged: false,
              isSkippedWhenBehind: false,
              saveAttempts: SAVE_ATTEMPTS,
            };
          },
          answer: ({ result }) =>
            incoming.map((a) =>
              answerOf(
                a,
                result.assignments.find((x) => x.appointmentId === a.id),
              ),
            ),
        }),
      );
    },

    reoptimiseDay(site, dayStartMs, options = {}) {
      const isBackground = options.isBackground ?? false;
      return serialised(`${site.id}/${dayStartMs}`, () =>
        changeDay<ReoptimiseResult | undefined>(site, dayStartMs, {
          prepare(stored, nowMs) {
            if (!stored || stored.appointments.length === 0) return { done: undefined };
            return {
              appointments: stored.appointments,
              events: [{ type: 'reoptimise', atMs: nowMs }],
              isReplan: false,
              isSavedOnlyWhenChanged: true,
              isSkippedWhenBehind: isBackground,
              saveAttempts: isBackground ? 1 : SAVE_ATTEMPTS,
            };
          },
          answer({ stored, version, isSaved, result }) {
            const before = stored?.assignments ?? [];
            const after = result.isSkipped || result.isUnchanged ? before : result.assignments;
            return {
              version,
              objectiveBeforeS: objectiveOf(before),
              objectiveAfterS: objectiveOf(after),
              changedAssignments: changedAssignmentCount(before, after),
              isSaved,
              isReplanned: result.isReplanned,
              isSkipped: result.isSkipped,
            };
          },
        }),
      );
    },

    async forgetDaysBefore(beforeMs) {
      return pool === undefined ? 0 : pool.forgetDaysBefore(beforeMs);
    },

    async close() {
      isClosed = true;
      await Promise.all(queues.values());
      await pool?.destroy();
    },
  };
}
