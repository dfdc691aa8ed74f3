import { citybay } from '@citybay/proto/gen';

const BayState = citybay.v1.BayState;
/** A bay state as a 2-bit code: 0 unknown, 1 free, 2 occupied (see `BayState` in sync.proto). */
export type BayStateCode = 0 | 1 | 2;
export const BAY_STATE_UNKNOWN: BayStateCode = BayState.BAY_STATE_UNKNOWN;
export const BAY_STATE_FREE: BayStateCode = BayState.BAY_STATE_FREE;
export const BAY_STATE_OCCUPIED: BayStateCode = BayState.BAY_STATE_OCCUPIED;

/** Packs one state code per bay into the 2-bits-per-bay snapshot bitmap of `BayStates.snapshot`. */
export function packBayStates(states: ArrayLike<number>): Uint8Array {
  const packed = new Uint8Array(Math.ceil(states.length / 4));
  for (let i = 0; i < states.length; i++) {
    packed[i >> 2]! |= ((states[i] ?? 0) & 3) << ((i & 3) * 2);
  }
  return packed;
}

/** Unpacks a snapshot bitmap into one state code per bay. */
export function unpackBayStates(packed: Uint8Array, bayCount: number): Uint8Array {
  const states = new Uint8Array(bayCount);
  for (let i = 0; i < bayCount; i++) states[i] = ((packed[i >> 2] ?? 0) >> ((i & 3) * 2)) & 3;
  return states;
}

export interface BayChange {
  index: number;
  state: BayStateCode;
}

/** Encodes changes (any order) as `BayStates.changes`: sorted, delta-coded `(delta << 2) | state`. */
export function encodeBayChanges(changes: readonly BayChange[]): number[] {
  const sorted = [...changes].sort((a, b) => a.index - b.index);
  const out: number[] = [];
  let previous = 0;
  for (const change of sorted) {
    out.push(((change.index - previous) << 2) | change.state);
    previous = change.index;
  }
  return out;
}

/** Decodes `BayStates.changes` back into absolute bay indices. */
export function decodeBayChanges(encoded: readonly number[]): BayChange[] {
  const out: BayChange[] = [];
  let index = 0;
  for (const value of encoded) {
    index += value >>> 2;
    out.push({ index, state: (value & 3) as BayStateCode });
  }
  return out;
}

/** Applies decoded changes to a state array in place. */
export function applyBayChanges(states: Uint8Array, changes: readonly BayChange[]): void {
  for (const change of changes) states[change.index] = change.state;
}

/** The changes that turn `previous` into `next` (arrays of equal length). */
export function diffBayStates(previous: ArrayLike<number>, next: ArrayLike<number>): BayChange[] {
  const changes: BayChange[] = [];
  for (let i = 0; i < next.length; i++) {
    if (previous[i] !== next[i]) changes.push({ index: i, state: ((next[i] ?? 0) & 3) as BayStateCode });
  }
  return changes;
}
