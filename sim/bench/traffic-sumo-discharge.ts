// How much SUMO's default car spreads the discharge headway of a queue released by green: a standing queue of SUMO's
// passenger cars (5 m + 2.5 m minGap, each its own speed factor normc(1, 0.1, 0.2, 2) on a 50 km/h lane) sets off at
// t = 0, and the times their fronts pass the stop line give the headways. Worked out from SUMO 1.15's Krauss formulas
// (Euler update, 1-s steps; as bench/traffic-sumo-stop-creep.ts), not fitted to any benchmark:
// - each car takes the largest speed from which it can still stop behind its leader were the leader to brake as hard as
//   it can (Krauss: the stop speed within gap + the leader's braking distance), at most its speed + a per step and its
//   factor × the limit; then it dawdles (σ = 0.5: it drops σ·a·u, or σ·v·u below v = a); every car plans on the state
//   of the step before, then all move.
// Prints the headway's mean and standard deviation from the `FROM`-th car on (saturated), the correlation of
// successive headways, and how far the time the n-th car passes spreads (how many cars one green lets go).
// Result (7 Dec 2026): mean 1.93 s, sd 0.18 s (9.2%), lag-1 correlation −0.43 (a late car's follower makes up for it);
// the 14th car passes at 27.7 s ± 0.59 s, a third of a car per green. Drawn per car and lane in the link model (tried
// 7 Dec 20:55–21:08, not kept) it moved benchmark (c)'s max queue by ±20 points per seed and put 5 of 8 seeds outside
// 10% of SUMO's seed mean (2 with the speed factors alone); sim/README.md, benchmark (c).
import { SeededRandom } from '@citybay/common';
import { drawTruncatedNormal } from '../src/demand/distributions.js';
import { ACCEL, DECEL, STEP, dawdle, stopSpeed } from './krauss-car.js';

const LENGTH_M = 5;
const MIN_GAP_M = 2.5;
const LIMIT_MPS = 13.89;
const CARS = 14;
const FROM = 5;

/** SUMO's brakeGapEuler with no headway time: the distance a car at `speed` needs to stop braking by DECEL. */
function brakeGap(speed: number): number {
  const reduction = DECEL * STEP;
  const steps = Math.floor(speed / reduction);
  return STEP * (steps * speed - (reduction * steps * (steps + 1)) / 2);
}

const random = new SeededRandom(20261207);
const runs = 20_000;
const headways: number[] = [];
let sumProduct = 0;
let pairs = 0;
const firstCars = new Float64Array(FROM);
/** Per car: the sum and sum of squares of when it passed the line (the spread of how many cars a green lets go). */
const passSum = new Float64Array(CARS);
const passSquares = new Float64Array(CARS);
for (let r = 0; r < runs; r++) {
  const x = Float64Array.from({ length: CARS }, (_, i) => -0.1 - i * (LENGTH_M + MIN_GAP_M));
  const v = new Float64Array(CARS);
  const vMax = Float64Array.from({ length: CARS }, () =>
    Math.min(55.56, LIMIT_MPS * drawTruncatedNormal(random, { mean: 1, sd: 0.1, min: 0.2, max: 2 })),
  );
  const passedS = new Float64Array(CARS).fill(Number.NaN);
  for (let t = STEP; passedS[CARS - 1]!.toString() === 'NaN' && t < 600; t += STEP) {
    const next = new Float64Array(CARS);
    for (let i = 0; i < CARS; i++) {
      let safe = Number.POSITIVE_INFINITY;
      if (i > 0) safe = stopSpeed(x[i - 1]! - LENGTH_M - MIN_GAP_M - x[i]! + brakeGap(v[i - 1]!));
      next[i] = dawdle(Math.min(safe, v[i]! + ACCEL * STEP, vMax[i]!), random.next());
    }
    for (let i = 0; i < CARS; i++) {
      const before = x[i]!;
      x[i] = before + next[i]! * STEP;
      v[i] = next[i]!;
      if (before < 0 && x[i]! >= 0) passedS[i] = t - STEP + (-before / (x[i]! - before)) * STEP;
    }
  }
  for (let i = 0; i < CARS; i++) {
    passSum[i] = passSum[i]! + passedS[i]!;
    passSquares[i] = passSquares[i]! + passedS[i]! ** 2;
  }
  let previous = Number.NaN;
  for (let i = 1; i < CARS; i++) {
    const h = passedS[i]! - passedS[i - 1]!;
    if (i < FROM) firstCars[i] = firstCars[i]! + h / runs;
    else {
      headways.push(h);
      if (Number.isFinite(previous)) {
        sumProduct += h * previous;
        pairs++;
      }
      previous = h;
    }
  }
  firstCars[0] = firstCars[0]! + passedS[0]! / runs;
}
const mean = headways.reduce((a, b) => a + b, 0) / headways.length;
const sd = Math.sqrt(headways.reduce((s, h) => s + (h - mean) ** 2, 0) / (headways.length - 1));
const lag1 = (sumProduct / pairs - mean * mean) / (sd * sd);
console.log(`SUMO's default cars released from a standing queue (${runs} queues of ${CARS}, 50 km/h lane):`);
console.log(
  `  first car passes the line at ${firstCars[0]!.toFixed(2)} s; headways of cars 2-${FROM}: ${Array.from(firstCars.subarray(1), (h) => h.toFixed(2)).join(', ')} s`,
);
console.log(
  `  saturated headway (car ${FROM + 1} on): mean ${mean.toFixed(3)} s (${(3600 / mean).toFixed(0)} veh/h), sd ${sd.toFixed(3)} s (${((sd / mean) * 100).toFixed(1)}% of the mean), lag-1 correlation ${lag1.toFixed(2)}`,
);
const passSd = (i: number) => Math.sqrt(passSquares[i]! / runs - (passSum[i]! / runs) ** 2);
console.log(
  `  when car n passes the line, sd: ${[5, 10, CARS].map((n) => `car ${n} ${passSd(n - 1).toFixed(2)} s (mean ${(passSum[n - 1]! / runs).toFixed(1)} s)`).join(', ')}`,
);
