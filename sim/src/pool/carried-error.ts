import { CitybayError } from '@citybay/common';

/**
 * An error thrown by a worker thread's task, as it crosses to the caller's thread. A thread's messages are structured
 * clones, which keep an Error's message and stack but drop its own properties: a `CitybayError` would arrive without
 * its `code`, `path` and `statusCode`. The task's thread sends these fields as data instead.
 */
export interface CarriedError {
  message: string;
  stack: string | undefined;
  /** A `CitybayError`'s fields, or a Node error's `code` (`ENOENT`). */
  code?: string;
  path?: string;
  statusCode?: number;
  isCitybayError: boolean;
}

/** What the task thread answers: the task's value, or the error it threw. */
export type TaskOutcome<T> = { value: T } | { error: CarriedError };

/** The fields of a thrown value that must survive the crossing. */
export function carryError(err: unknown): CarriedError {
  if (err instanceof CitybayError) {
    return {
      message: err.message,
      stack: err.stack,
      code: err.code,
      ...(err.path === undefined ? {} : { path: err.path }),
      statusCode: err.statusCode,
      isCitybayError: true,
    };
  }
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return {
      message: err.message,
      stack: err.stack,
      ...(typeof code === 'string' ? { code } : {}),
      isCitybayError: false,
    };
  }
  return { message: String(err), stack: undefined, isCitybayError: false };
}

/** The error again on the caller's side: a `CitybayError` with its code, path and status, or an Error with its code. */
export function rebuildError(carried: CarriedError): Error {
  let err: Error;
  if (carried.isCitybayError && carried.code !== undefined) {
    err = new CitybayError(carried.code, carried.message, {
      ...(carried.path === undefined ? {} : { path: carried.path }),
      ...(carried.statusCode === undefined ? {} : { statusCode: carried.statusCode }),
    });
  } else {
    err = new Error(carried.message);
    if (carried.code !== undefined) Object.assign(err, { code: carried.code });
  }
  // The thread's stack says where it was thrown; the caller's would only say where the answer arrived.
  if (carried.stack !== undefined) err.stack = carried.stack;
  return err;
}
