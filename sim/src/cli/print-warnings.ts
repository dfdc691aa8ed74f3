import type { RunWarning } from '../scenario/run-warning.js';

/** Prints accepted-but-suspicious input on stderr, one line each (`warning W_…: path: message`). */
export function printWarnings(warnings: readonly RunWarning[]): void {
  for (const warning of warnings) console.error(`warning ${warning.code}: ${warning.path}: ${warning.message}`);
}
