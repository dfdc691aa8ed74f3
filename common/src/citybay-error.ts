/**
 * The base of every error citybay throws on purpose. Each package defines its own table of codes
 * (`src/errors.ts`) with {@link defineErrors}; a code, once published, never changes meaning.
 */
export class CitybayError extends Error {
  /** Stable machine-readable code, `CB_<AREA>_<PROBLEM>`. */
  readonly code: string;
  /** HTTP status a service should answer with when this error reaches a client. */
  readonly statusCode: number;
  /** Path of the offending field (`buses[0].devices[3].profile`) when the error is about input. */
  readonly path: string | undefined;

  constructor(code: string, message: string, options: CitybayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = code;
    this.code = code;
    this.statusCode = options.statusCode ?? 500;
    this.path = options.path;
  }
}

export interface CitybayErrorOptions {
  cause?: unknown;
  path?: string;
  statusCode?: number;
}

/** One row of an error table: the default HTTP status for errors with this code. */
export interface ErrorSpec {
  statusCode: number;
  /** What the code means, for documentation and for the pinning tests. */
  description: string;
}

export type ErrorFactory = (message: string, options?: Omit<CitybayErrorOptions, 'statusCode'>) => CitybayError;

/**
 * Turns a table `{ CB_X_Y: { statusCode, description } }` into factories `errors.CB_X_Y(message, { path, cause })`.
 * Keeping the table as plain data lets a test pin every published code.
 */
export function defineErrors<T extends Record<string, ErrorSpec>>(table: T): { [K in keyof T]: ErrorFactory } {
  const factories: Record<string, ErrorFactory> = {};
  for (const [code, spec] of Object.entries(table)) {
    if (!/^CB_[A-Z0-9]+_[A-Z0-9_]+$/.test(code)) throw new Error(`error code ${code} is not CB_<AREA>_<PROBLEM>`);
    factories[code] = (message, options = {}) =>
      new CitybayError(code, message, { ...options, statusCode: spec.statusCode });
  }
  return factories as { [K in keyof T]: ErrorFactory };
}

/** True when `err` is a {@link CitybayError}, optionally with the given code. */
export function isCitybayError(err: unknown, code?: string): err is CitybayError {
  return err instanceof CitybayError && (code === undefined || err.code === code);
}
