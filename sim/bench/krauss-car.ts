// SUMO 1.15's default car under Krauss with the Euler update and 1-s steps, as the benches that derive a model
// parameter from it (traffic-sumo-stop-creep.ts, traffic-sumo-discharge.ts) work it out.
export const ACCEL = 2.6;
export const DECEL = 4.5;
export const TAU = 1;
export const STEP = 1;
export const SIGMA = 0.5;

/** Krauss' stop speed with the Euler update: the largest speed that still stops within `gapM`. */
export function stopSpeed(gapM: number): number {
  const g = gapM - 1e-6;
  if (g <= 0) return 0;
  const b = DECEL * STEP;
  const n = Math.floor(0.5 - (TAU - Math.sqrt(STEP * STEP + 4 * (STEP * ((2 * g) / b - TAU) + TAU * TAU)) / 2) / STEP);
  const h = 0.5 * n * (n - 1) * b * STEP + n * b * TAU;
  return n * b + (g - h) / (n * STEP + TAU);
}

/** Dawdling: the car drops σ·a·u, or σ·v·u below v = a (u uniform in [0, 1)). */
export function dawdle(speed: number, u: number): number {
  return Math.max(0, speed - SIGMA * (speed < ACCEL ? speed : ACCEL) * u * STEP);
}
