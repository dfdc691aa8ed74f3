import { isCitybayError } from '@citybay/common';
import {
  type AllocationDay,
  type AllocationEvent,
  type AllocationOptions,
  type Assignment,
  createOnlineAllocator,
  type OnlineAllocator,
} from '@citybay/sim';
import { dayAroundCommitted } from '../core/committed-cars.js';
import { PinnedCars } from '../core/pinned-cars.js';

// Piscina worker that keeps one online allocator per site-day between tasks. The pool has one thread, so
// each day's allocator lives in exactly one place; the main thread sends the whole day every time, so a
// fresh thread (or a day changed by another central instance) rebuilds from it, around the cars already
// parked or on their way (`AllocatorTask.committed`), which keep their bays.

/** A site-day's appointments changed: apply the events, or re-plan the day when this thread is behind. */
export interface AllocatorTask {
  /** `siteId/dayStartMs`. */
  key: string;
  /** Version of the day these events lead from (`version - 1` must be what this thread holds). */
  version: number;
  day: AllocationDay;
  /** The site's allocator options; a day held under other options is planned again from scratch. */
  options: AllocationOptions;
  events: AllocationEvent[];
  /**
   * Stored assignments of the day's committed cars (parked, or probably en route) at the time of the task.
   * A plan from scratch pins them where they are (the allocator plans around their bays); a thread that
   * holds the day follows on from its own state and ignores this.
   */
  committed: Assignment[];
  /** When the task was made (ms since the epoch): a plan from scratch takes no gate passage for a committed car
   * whose arrival window has ended by then. */
  nowMs: number;
  /** Plan the day from scratch even when this thread is up to date (a change no event expresses). */
  isReplan: boolean;
  /**
   * The caller saves the day only when an assignment moved (a re-optimisation): when none did, this thread
   * stays at `version - 1`, so the next task still follows on from it.
   */
  isSavedOnlyWhenChanged: boolean;
  /**
   * Do nothing when this thread does not hold `version - 1` (the periodic re-optimisation): such a day has no
   * event-by-event drift here to repair, and planning it from scratch would only move the day's version
   * under the instance that holds it.
   */
  isSkippedWhenBehind: boolean;
}

/** An error from the allocator, as data: error classes do not survive the trip between threads. */
export interface AllocatorTaskError {
  code: string;
  message: string;
  statusCode: number;
  path?: string;
}

export interface AllocatorTaskResult {
  error?: AllocatorTaskError;
  /** True when the day was planned from scratch (first request, restart, or another instance moved it on). */
  isReplanned: boolean;
  /** True when the events moved no assignment (and the day was not planned from scratch). */
  isUnchanged: boolean;
  /** True when the task was skipped because this thread was behind (`isSkippedWhenBehind`). */
  isSkipped: boolean;
  /** Current assignment of every appointment of the day that needs a bay. */
  assignments: Assignment[];
  objectiveS: number;
}

interface HeldDay {
  version: number;
  /** The options it was planned under, as JSON. */
  optionsKey: string;
  allocator: OnlineAllocator;
  /** Cars the last plan from scratch left out of the allocator, kept where they were. */
  pinned: PinnedCars;
}

/** Held days, least recently used first (a Map keeps insertion order; a use moves a day to the end). */
const days = new Map<string, HeldDay>();

/** The days of one request, planned together: a failure of one leaves none of them held. */
export interface AllocatorBatch {
  tasks: AllocatorTask[];
  /** Most days this thread holds; the least recently used beyond it are forgotten (planned again when next used). */
  daysKept: number;
}

export function allocateDays(batch: AllocatorBatch): AllocatorTaskResult[] {
  const results: AllocatorTaskResult[] = [];
  for (const task of batch.tasks) {
    const result = allocateDay(task);
    if (result.error) {
      // Days already planned in this batch are now ahead of the store, which will not save them.
      for (const done of batch.tasks) days.delete(done.key);
      return [result];
    }
    results.push(result);
  }
  for (const key of days.keys()) {
    if (days.size <= batch.daysKept) break;
    days.delete(key);
  }
  return results;
}

export function allocateDay(task: AllocatorTask): AllocatorTaskResult {
  try {
    return allocate(task);
  } catch (err) {
    // The day's state is unknown after a failure: the next task plans it again.
    days.delete(task.key);
    if (!isCitybayError(err)) throw err;
    return {
      error: {
        code: err.code,
        message: err.message,
        statusCode: err.statusCode,
        ...(err.path ? { path: err.path } : {}),
      },
      isReplanned: false,
      isUnchanged: true,
      isSkipped: false,
      assignments: [],
      objectiveS: 0,
    };
  }
}

/** How many days the thread holds (tests). */
export function heldDayCount(): number {
  return days.size;
}

function allocate(task: AllocatorTask): AllocatorTaskResult {
  let entry = days.get(task.key);
  const optionsKey = JSON.stringify(task.options);
  const isBehind = !entry || entry.version !== task.version - 1 || entry.optionsKey !== optionsKey;
  if (isBehind && task.isSkippedWhenBehind) {
    return { isReplanned: false, isUnchanged: true, isSkipped: true, assignments: [], objectiveS: 0 };
  }
  let isReplanned = false;
  let isUnchanged = false;
  if (!entry || isBehind || task.isReplan) {
    entry = {
      version: task.version,
      optionsKey,
      allocator: createOnlineAllocator(dayAroundCommitted(task.day, task.committed, task.nowMs), task.options),
      pinned: new PinnedCars(task.committed),
    };
    isReplanned = true;
  } else {
    markSetOff(entry, task.committed);
    let moved = 0;
    for (const event of task.events)
      moved += entry.pinned.onEvent(event) ?? entry.allocator.onEvent(event).changed.length;
    isUnchanged = moved === 0;
    if (!isUnchanged || !task.isSavedOnlyWhenChanged) entry.version = task.version;
  }
  days.delete(task.key);
  days.set(task.key, entry);
  const { allocator, pinned } = entry;
  const assignments = task.day.appointments
    .map((a) => pinned.assignment(a.id) ?? allocator.assignment(a.id))
    .filter((a): a is Assignment => a !== undefined);
  const objectiveS = allocator.objectiveS() + pinned.costS();
  return { isReplanned, isUnchanged, isSkipped: false, assignments, objectiveS };
}

/**
 * Central gets no en-route events, so a car is taken to have set off once its arrival window begins (it is then
 * in `committed`): from then on the allocator never moves it to something worse than it was promised. The
 * allocator already keeps still a car whose arrival slot has passed; this covers the slot it sets off in.
 */
function markSetOff(entry: HeldDay, committed: readonly Assignment[]): void {
  for (const car of committed) {
    const id = car.appointmentId;
    if (!car.placed || entry.pinned.assignment(id) !== undefined || entry.allocator.assignment(id) === undefined)
      continue;
    entry.allocator.onEvent({ type: 'en-route', appointmentId: id, atMs: car.arrivalWindow.fromMs });
  }
}

/** Forgets one day, so the next task plans it from the stored day (its save failed or lost a race). */
export function forgetDay(task: { key: string }): boolean {
  return days.delete(task.key);
}

/** Forgets days that ended (keeps the worker's memory bounded in a long-running service). */
export function forgetDaysBefore(task: { beforeMs: number }): number {
  let removed = 0;
  for (const key of days.keys()) {
    if (Number(key.slice(key.lastIndexOf('/') + 1)) < task.beforeMs) {
      days.delete(key);
      removed += 1;
    }
  }
  return removed;
}
