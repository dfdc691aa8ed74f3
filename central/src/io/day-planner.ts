import { CitybayError, type Clock } from '@citybay/common';
import type { AllocationOptions, Appointment } from '@citybay/sim';
import { type AppointmentAnswer, allocatorLotsOf, dayStartOf, reservationsOf } from '../core/appointment-day.js';
import type { Refusal } from '../core/appointment-checks.js';
import { changedAssignmentCount, objectiveOf } from '../core/assignment-changes.js';
import { committedAssignmentsOf } from '../core/committed-cars.js';
import type { SiteDefinition } from '../core/site-definition.js';
import { errors } from '../errors.js';
import type { AppointmentDay, CentralStore } from '../store/store.js';
import { siteAllocationOptions } from './allocation-options-file.js';
import { type AllocatorPool, createAllocatorPool } from './allocator-pool.js';
import { mergedReservations, type PreparedDays, prepareSubmission } from './day-change.js';

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
  /**
   * Merges a submission's appointments into their stored days (site-local), plans the days that change and
   * saves them with their reservations in one transaction. Appointments new or changed that ended before now or
   * start beyond the horizon are refused one by one: with `isAtomic` any refusal saves nothing; otherwise the
   * others are planned (a FHIR batch).
   */
  planSubmission(
    site: SiteDefinition,
    incoming: readonly Appointment[],
    options: { isAtomic: boolean },
  ): Promise<SubmissionResult>;
  /** Re-optimises the stored day; `undefined` when the day has no appointments. */
  reoptimiseDay(
    site: SiteDefinition,
    dayStartMs: number,
    options?: ReoptimiseOptions,
  ): Promise<ReoptimiseResult | undefined>;
  /** Drops the allocator thread's state of days that started before `beforeMs`; answers how many. */
  forgetDaysBefore(beforeMs: number): Promise<number>;
  /** How many site-days the allocator thread holds (0 before its first task). */
  heldDayCount(): Promise<number>;
  /** Lets the work queued so far finish, then stops the allocator thread. */
  close(): Promise<void>;
}

/** What a submission did: an answer per planned appointment, the refused ones, and which were new. */
export interface SubmissionResult {
  answers: Map<string, AppointmentAnswer>;
  refused: Refusal[];
  /** Appointments the store did not have before (a FHIR create rather than an update). */
  createdIds: Set<string>;
}

/** Site-days the allocator thread keeps by default (`CITYBAY_ALLOCATOR_DAYS_KEPT`). */
export const DEFAULT_ALLOCATOR_DAYS_KEPT = 64;

export function createDayPlanner(deps: {
  store: CentralStore;
  clock: Clock;
  daysKept?: number;
  /** The allocator's options for every site (a site's own win key by key). Default none. */
  allocationOptions?: AllocationOptions;
}): DayPlanner {
  const { store, clock } = deps;
  const daysKept = deps.daysKept ?? DEFAULT_ALLOCATOR_DAYS_KEPT;
  let pool: AllocatorPool | undefined;
  let isClosed = false;
  const queues = new Map<string, Promise<unknown>>();

  /** Runs `work` after every change queued before on any of `keys` (site-days), and before any queued after. */
  const serialised = <T>(keys: readonly string[], work: () => Promise<T>): Promise<T> => {
    if (isClosed) return Promise.reject(errors.CB_HTTP_SHUTTING_DOWN('central is shutting down; retry shortly'));
    const previous = Promise.all(keys.map((key) => queues.get(key) ?? Promise.resolve()));
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    for (const key of keys) queues.set(key, settled);
    void settled.then(() => {
      for (const key of keys) if (queues.get(key) === settled) queues.delete(key);
    });
    return next;
  };

  /**
   * Plans the prepared days on the allocator thread and saves those that changed in one transaction, retrying
   * a lost race from a fresh read. `prepare` reads nothing itself: it gets the stored days and the time.
   */
  async function changeDays<T>(
    site: SiteDefinition,
    dayStartsMs: readonly number[],
    prepare: (stored: Map<number, AppointmentDay | undefined>, nowMs: number) => { done: T } | PreparedDays<T>,
  ): Promise<T> {
    pool ??= createAllocatorPool();
    for (let attempt = 1; ; attempt++) {
      const stored = new Map(
        await Promise.all(dayStartsMs.map(async (d) => [d, await store.getAppointmentDay(site.id, d)] as const)),
      );
      const nowMs = clock.nowMs();
      const prepared = prepare(stored, nowMs);
      if ('done' in prepared) return prepared.done;
      const results = await pool.allocateDays({
        daysKept,
        tasks: prepared.days.map((day) => ({
          key: `${site.id}/${day.dayStartMs}`,
          version: (stored.get(day.dayStartMs)?.version ?? 0) + 1,
          day: { dayStartMs: day.dayStartMs, appointments: day.appointments, lots: allocatorLotsOf(site) },
          options: siteAllocationOptions(deps.allocationOptions ?? {}, site),
          events: day.events,
          // Computed here, where the stored assignments are: the thread may have to plan the day from scratch.
          committed: committedAssignmentsOf(day.appointments, stored.get(day.dayStartMs)?.assignments ?? [], nowMs),
          nowMs,
          isReplan: day.isReplan,
          isSavedOnlyWhenChanged: prepared.isSavedOnlyWhenChanged,
          isSkippedWhenBehind: prepared.isSkippedWhenBehind,
        })),
      });
      const failed = results.find((r) => r.error)?.error;
      if (failed) {
        const { code, message, statusCode, path } = failed;
        throw new CitybayError(code, message, { statusCode, ...(path ? { path } : {}) });
      }
      const toSave = prepared.days
        .map((day, i) => ({ day, result: results[i]! }))
        .filter(({ result }) => !result.isSkipped && !(result.isUnchanged && prepared.isSavedOnlyWhenChanged));
      if (toSave.length > 0) {
        try {
          await store.saveAppointmentDays(
            site.id,
            toSave.map(({ day, result }) => ({
              siteId: site.id,
              dayStartMs: day.dayStartMs,
              version: (stored.get(day.dayStartMs)?.version ?? 0) + 1,
              appointments: day.appointments,
              assignments: result.assignments,
            })),
            mergedReservations(
              toSave.map(({ day, result }) =>
                reservationsOf(
                  result.assignments,
                  day.appointments.map((a) => a.id),
                ),
              ),
            ),
            nowMs,
          );
        } catch (err) {
          // The thread now holds versions the store does not (or another instance's under the same number):
          // it must plan those days again from what is stored.
          await Promise.all(toSave.map(({ day }) => pool!.forgetDay(`${site.id}/${day.dayStartMs}`)));
          const isConflict = err instanceof CitybayError && err.code === 'CB_APPOINTMENTS_CONFLICT';
          if (isConflict && attempt < prepared.saveAttempts) continue;
          throw err;
        }
      }
      const savedDays = new Set(toSave.map(({ day }) => day.dayStartMs));
      return prepared.answer(
        prepared.days.map((day, i) => ({
          dayStartMs: day.dayStartMs,
          result: results[i]!,
          isSaved: savedDays.has(day.dayStartMs),
        })),
        stored,
      );
    }
  }

  return {
    async planSubmission(site, incoming, { isAtomic }) {
      const byDay = new Map<number, Appointment[]>();
      for (const a of incoming) {
        const day = dayStartOf(a.startMs, site.utcOffsetMin ?? 0);
        const list = byDay.get(day);
        if (list) list.push(a);
        else byDay.set(day, [a]);
      }
      // Appointments stored on another day than their new start's leave it: that day changes too.
      const storedDays = await store.appointmentDaysOf(
        site.id,
        incoming.map((a) => a.id),
      );
      const leaving = new Map<number, Set<string>>();
      for (const [day, list] of byDay)
        for (const a of list) {
          const from = storedDays.get(a.id);
          if (from === undefined || from === day) continue;
          const ids = leaving.get(from) ?? new Set<string>();
          ids.add(a.id);
          leaving.set(from, ids);
        }
      const dayStarts = [...new Set([...byDay.keys(), ...leaving.keys()])];
      return serialised(
        dayStarts.map((d) => `${site.id}/${d}`),
        () =>
          changeDays<SubmissionResult>(site, dayStarts, (stored, nowMs) =>
            prepareSubmission(
              { byDay, leaving, storedIds: new Set(storedDays.keys()) },
              stored,
              nowMs,
              isAtomic,
              SAVE_ATTEMPTS,
            ),
          ),
      );
    },

    reoptimiseDay(site, dayStartMs, options = {}) {
      const isBackground = options.isBackground ?? false;
      return serialised([`${site.id}/${dayStartMs}`], () =>
        changeDays<ReoptimiseResult | undefined>(site, [dayStartMs], (storedDays, nowMs) => {
          const stored = storedDays.get(dayStartMs);
          if (!stored || stored.appointments.length === 0) return { done: undefined };
          return {
            days: [
              {
                dayStartMs,
                appointments: stored.appointments,
                events: [{ type: 'reoptimise', atMs: nowMs }],
                isReplan: false,
                kept: [],
              },
            ],
            isSavedOnlyWhenChanged: true,
            isSkippedWhenBehind: isBackground,
            saveAttempts: isBackground ? 1 : SAVE_ATTEMPTS,
            answer([planned]) {
              const { result, isSaved } = planned!;
              const before = stored.assignments;
              const after = result.isSkipped || result.isUnchanged ? before : result.assignments;
              return {
                version: stored.version + (isSaved ? 1 : 0),
                objectiveBeforeS: objectiveOf(before),
                objectiveAfterS: objectiveOf(after),
                changedAssignments: changedAssignmentCount(before, after),
                isSaved,
                isReplanned: result.isReplanned,
                isSkipped: result.isSkipped,
              };
            },
          };
        }),
      );
    },

    async forgetDaysBefore(beforeMs) {
      return pool === undefined ? 0 : pool.forgetDaysBefore(beforeMs);
    },

    async heldDayCount() {
      return pool === undefined ? 0 : pool.heldDayCount();
    },

    async close() {
      isClosed = true;
      await Promise.all(queues.values());
      await pool?.destroy();
    },
  };
}
