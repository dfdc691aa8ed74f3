/**
 * The subset of a pino logger the libraries use (firmware-bridge, the edge's I/O), so that callers pass their own
 * pino child and no library pins a pino version. Pure code never logs.
 */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/** Discards everything: the default when no logger is given. */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
};
