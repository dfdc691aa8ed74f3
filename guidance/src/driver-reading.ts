import type { FaceLine } from './guidance-types.js';

/**
 * The line a compliant driver passing a sign follows: the first, top down, that shows free bays (a count above 0).
 * FULL, CLOSED, a zero and any text send nobody. -1 when no line does. The simulator's drivers read the faces it
 * plans and the twin's drivers read the faces decoded from the emulated signs through this one rule.
 */
export function lineDriverFollows(lines: readonly FaceLine[]): number {
  return lines.findIndex((line) => typeof line.value === 'number' && line.value > 0);
}
