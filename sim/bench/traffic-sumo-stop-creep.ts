// Where `stopCreepS` comes from (sim/README.md, right of way): how long SUMO's default car, stopping at a minor link for
// a foe, runs below 5 km/h before it halts — the part of its stop that SUMO's queue-output counts as a queue before the
// car is halted. Worked out from SUMO 1.15's car-following formulas (semi-implicit Euler update, 1-s steps), not fitted
// to any benchmark:
// - each step the car takes the largest speed from which, braking by b per step after its reaction time τ, it stops
//   within the gap to the line (Krauss' stop speed: n whole steps of b plus a remainder spread over n·Δt + τ);
// - at most its speed plus a per step (a = 2.6, b = 4.5 m/s², τ = 1 s);
// - then it dawdles (σ = 0.5): it drops σ·a·u (u uniform in [0, 1)), or σ·v·u below v = a, so a slow car creeps;
// - it moves by its new speed; SUMO counts it halted below 0.1 m/s and in the jam below 5 km/h.
// A yielding car passes the foe-visibility point (4.5 m before the line) no faster than it can stop within it,
// √(2 b · 4.5) = 6.4 m/s; it starts there at a random phase of its 1-s step. Seeded: the figure is the same every run.
import { SeededRandom } from '@citybay/common';
import { ACCEL, DECEL, STEP, dawdle, stopSpeed } from './krauss-car.js';

const VISIBILITY_M = 4.5;
const JAM_SPEED = 5 / 3.6;
const HALTING_SPEED = 0.1;

const random = new SeededRandom(20261207);
const approachSpeed = Math.sqrt(2 * DECEL * VISIBILITY_M);
const runs = 200_000;
let creepSteps = 0;
let firstSlowLagS = 0;
let haltLagS = 0;
for (let i = 0; i < runs; i++) {
  // Distance to the line one step before the car reaches the visibility point, at a random phase of its step.
  const startM = VISIBILITY_M + random.next() * approachSpeed * STEP;
  let gapM = startM;
  let speed = approachSpeed;
  let firstSlowS = Number.NaN;
  for (let t = STEP; ; t += STEP) {
    speed = dawdle(Math.min(stopSpeed(gapM), speed + ACCEL * STEP), random.next());
    gapM -= speed * STEP;
    if (speed < JAM_SPEED && Number.isNaN(firstSlowS)) firstSlowS = t;
    if (speed < HALTING_SPEED) {
      haltLagS += t - startM / approachSpeed;
      break;
    }
    if (speed < JAM_SPEED) creepSteps++;
  }
  firstSlowLagS += firstSlowS - startM / approachSpeed;
}
console.log(`SUMO's default car stopping at a minor link (${runs} approaches from ${approachSpeed.toFixed(2)} m/s):`);
console.log(`  below 5 km/h but not halted before it halts: ${((creepSteps / runs) * STEP).toFixed(2)} s (stopCreepS)`);
console.log(
  `  below 5 km/h from ${(firstSlowLagS / runs).toFixed(2)} s, halted from ${(haltLagS / runs).toFixed(2)} s after a car rolling on at that speed would pass the line`,
);
