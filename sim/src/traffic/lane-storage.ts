/** How far short of a lane's end SUMO's first jammed car stops its front (m), measured on its FCD. */
const FIRST_CAR_SHORT_M = 1;

/**
 * Cars a lane of `lengthM` holds when jammed (see `LaneLayout.laneStorage`), as SUMO stands them: every car whose front
 * is on the lane, the first `FIRST_CAR_SHORT_M` short of its end, the others one jam spacing apart, so the last one's
 * rear may stand in the junction behind; a front exactly at the lane's start is on the lane before. That is
 * ⌈(length − 1) / jam spacing⌉ cars (at least 1); `lane-storage.test.ts` checks it against SUMO on lanes of 9–40.2 m.
 * ⌊length / jam spacing⌋, used before, held one car fewer on most short lanes (10.65 m: 1 car, SUMO stands 2).
 */
export function laneStorageVeh(lengthM: number, jamSpacingM: number): number {
  // The tolerance keeps a length that is a whole number of jam spacings past the first car from rounding up.
  return Math.max(1, Math.ceil((lengthM - FIRST_CAR_SHORT_M) / jamSpacingM - 1e-9));
}
