import type { AllocationInstance } from './allocation-instance.js';
import { AllocationState } from './allocation-state.js';
import { improveByGatePaths } from './gate-paths.js';
import { improveLocally } from './local-search.js';
import { priceAndChoose, priceWithRegret } from './option-pricing.js';
import { type Prices, type RepairPick, repair } from './priced-repair.js';

/** Days with at most this many options count as small: more price rounds, local search on every repair. */
export const SMALL_INSTANCE_OPTIONS = 2000;
// Share of the previous direction kept in each step. Without it the prices of lots with equal costs
// zig-zag and the bound stalls 3-5 % below the optimum on tight days. On days whose gates bind (arrival shifts
// in use) 0.7 still left the bound 0.7-4.9 % below the optimum after 120 rounds and plans up to 0.62 % above it;
// 0.9 brought the bound within 0.3-0.6 % and the plans within 0.37 % (0.5 and 0.95 were worse on both).
const DEFLECTION = 0.9;
// Repairing every round costs more than it finds. At prices averaged over the last rounds (below), every twelfth
// finds better plans than every sixth did at the round's own prices (issue 17, fourth pass).
const REPAIR_EVERY = 12;
// The repairs price options at an exponential average of the rounds' prices, each round weighing this much: a
// round's own prices zig-zag around the dual optimum, and a plan repaired at one side of the zig-zag is skewed. Mean
// gap to HiGHS over seeds 1-11 (as built / cap 0.6 / gates x 0.6): the round's prices, every sixth round 0.152 /
// 0.344 / 0.177 %; averaged 0.2, every twelfth 0.112 / 0.279 / 0.162 % (weights 0.1-0.25, every 9th-18th round:
// 0.10-0.13 / 0.26-0.31 / 0.15-0.17 %). Cap-0.6 worst over seeds 1-20: 0.531 % before, 0.434 % (sim/README.md).
const AVERAGE_PRICE_WEIGHT = 0.2;
// On a full day the first rounds' prices are far off and their repairs never the best: repairing starts here.
const FIRST_REPAIR_ROUND = 30;
// The deferred rounds repair at their first two repair rounds, then at every other one (every 24th round): a repair is
// ~2.5 ms warm, seven price rounds' worth, and half of the deferred ones can go on the cap-0.6 day while the two early
// ones keep the gates x 0.6 day's stop (it ends the rounds soon after a repair within 2 % of the bound). Cap 0.6,
// seeds 1-40, repairs a day 16.6 -> 13.3, rounds 223 -> 226, gap worst 0.471 -> 0.423 %, mean 0.240 -> 0.246 %;
// gates x 0.6 9.3 -> 9.1 repairs, 137 -> 138 rounds, mean 0.137 -> 0.133 % (issue 17, ninth pass: sim/README.md).
// Every 24th from the start: gates x 0.6 ran 142 rounds; every 36th: cap 0.6 seed 15 0.906 %.
const DEFERRED_DENSE_REPAIRS = 2;
// Local search rounds of the one polish after deferred extra rounds: on the cap-0.6 day the sixth round still gained
// (seed 5: 0.486 % above the optimum after 6 rounds, 0.438 % after up to 9; no other seed of the three days changed).
const DEFERRED_POLISH_ROUNDS = 9;

/** Price rounds added when the duality gap after the first polish says the plan may be far off. */
export interface ExtraRounds {
  /** At most this many. */
  rounds: number;
  /** Added only while the gap (plan vs bound, share of the plan) is above this. */
  targetRatio: number;
  /** They stop once the gap is within this. */
  stopRatio: number;
  /**
   * When the first rounds' best repaired plan is more than this share above the bound (a day whose gates bind
   * hard), the extra rounds run at once, before any polish, and only the plan they end with is polished: one polish
   * instead of two; they stop once the best repaired plan is within this share of the bound (a day like those that
   * never defer, whose first plan polishes to within the target). Absent: the extra rounds always follow the first
   * polish.
   */
  deferPolishRatio?: number;
}
export const NO_EXTRA_ROUNDS: ExtraRounds = { rounds: 0, targetRatio: 0, stopRatio: 0 };

export interface PriceOptimiserResult {
  state: AllocationState;
  /** Lagrangian dual bound: no assignment can cost less. */
  lowerBoundS: number;
  /** Bay prices per chain and slot (seconds) that gave the best bound; the exact search prunes with them. */
  bayPriceS: Float64Array;
  gatePriceS: Float64Array;
  iterations: number;
  /** Rounds run after the first polish because the duality gap stayed above the target (0 if none). */
  extraIterations: number;
}

/**
 * Lagrangian relaxation of the bay-capacity and gate rows: with prices on every (lot, kind, slot) bay and
 * (lot, slot) gate passage, each car simply takes its cheapest priced option, which gives a lower bound;
 * deflected subgradient steps (Polyak step size, towards the best plan found) move the prices. Every few
 * rounds a feasible plan is repaired at the rounds' averaged prices (cars in order of regret, each taking the
 * cheapest priced option that fits), and the best plan is polished by local search with ejections.
 * `stopGapRatio`: stop the price rounds once the best plan is proven within this share of the optimum
 * (like a MIP gap tolerance); 0 runs every round.
 */
export function optimiseWithPrices(
  instance: AllocationInstance,
  iterations: number,
  stopGapRatio = 0,
  extra: ExtraRounds = NO_EXTRA_ROUNDS,
): PriceOptimiserResult {
  const { carCount: n, pointCount: P, optStart, optGate, optCost, chainCap, gateCap, unplacedPenaltyS } = instance;
  const chainCount = instance.chainCount;
  const lambda = new Float64Array(chainCap.length);
  const mu = new Float64Array(gateCap.length);
  const prefix = new Float64Array(chainCount * (P + 1));
  // Counts of cars in whole numbers: read in unoptimised code (a fresh process's first rounds), a Float64Array
  // element is boxed into a new heap number at every read, an Int32Array's is not (the same doubles in the sums).
  const usage = new Int32Array(chainCount * (P + 1));
  const gateUsage = new Int32Array(gateCap.length);
  const direction = new Float64Array(chainCap.length);
  const gateDirection = new Float64Array(gateCap.length);
  const { optA, optB } = prefixIndices(instance);
  // The repair prices each option it reads as it reads it (a car's scan stops early, so most are never priced).
  const prices: Prices = { optA, optB, prefix, mu };
  // Each car's regret and cheapest priced option, written by the pricing before a repair (and here for the first, at
  // zero prices).
  const pick: RepairPick = { regret: new Float64Array(n), cheapest: new Int32Array(n) };
  // The averaged prices the repairs use (never negative, as the prices: the scans' early stop holds), and the
  // (unread) usage their pricing pass records.
  const averageLambda = new Float64Array(chainCap.length);
  const averageMu = new Float64Array(gateCap.length);
  const averagePrices: Prices = { optA, optB, prefix: new Float64Array(prefix.length), mu: averageMu };
  const averageUsage = new Int32Array(usage.length);
  const averageGateUsage = new Int32Array(gateUsage.length);

  // The pricing pass before a repair at `at` (the rounds' prices or the averaged ones): fills `pick`, records the usage
  // in `u`/`gu` and returns the cars' summed reduced costs. The arrays go in as arguments, never read from `pick` inside
  // (see priceWithRegret).
  const priceForRepair = (at: Prices, u: Int32Array, gu: Int32Array): number =>
    priceWithRegret(
      n,
      optStart,
      optCost,
      optA,
      optB,
      optGate,
      at.prefix,
      at.mu,
      unplacedPenaltyS,
      u,
      gu,
      pick.regret,
      pick.cheapest,
    );

  const best = new AllocationState(instance);
  priceForRepair(prices, usage, gateUsage);
  repair(instance, prices, best, pick);
  let upper = best.objective();
  let lower = Number.NEGATIVE_INFINITY;
  // The best bound at the rounds' own prices, which alone decides when the step shrinks (the averaged prices' bounds
  // below may raise `lower` without the rounds having improved).
  let roundLower = Number.NEGATIVE_INFINITY;
  // The best prices so far, copied into place: a new copy at every better bound was 14 kB of garbage a round.
  const bestLambda = lambda.slice();
  const bestMu = mu.slice();
  let theta = 1;
  let sinceImproved = 0;
  const scratch = new AllocationState(instance);
  // On small days local search is cheap enough to polish every repaired plan, which finds the optimum
  // far more often; on a full day it runs once, on the best plan, to stay within the time budget.
  const polishEveryRepair = optCost.length <= SMALL_INSTANCE_OPTIONS;
  const patience = polishEveryRepair ? 25 : 8;
  let done = 0;
  // The best plan repaired in the extra rounds (before local search), polished at their end.
  let extraPlan: AllocationState | undefined;
  let extraUpper = Number.POSITIVE_INFINITY;

  // The round's steps are small functions of their own: V8 optimises each as soon as it is hot, with the type
  // feedback of all its paths, where one large loop body was compiled on the stack (OSR) before its repair path
  // had ever run, thrown away when that path came, and compiled again — in a fresh process, most of a plan.
  const runRounds = (from: number, to: number, stopRatio: number, isExtra: boolean, isDeferred = false): void => {
    let slot = 0;
    for (let it = from; it < to; it++) {
      done = it + 1;
      fillPrefix(prefix, lambda, chainCount, P);
      let dual = lessPriced(lessPriced(0, lambda, chainCap), mu, gateCap);
      usage.fill(0);
      gateUsage.fill(0);
      let isRepairRound =
        it % REPAIR_EVERY === REPAIR_EVERY - 1 &&
        (polishEveryRepair || it >= FIRST_REPAIR_ROUND) &&
        (!isExtra || 2 * (it - from) >= to - from);
      if (isRepairRound && isDeferred) {
        isRepairRound = slot < DEFERRED_DENSE_REPAIRS || (slot - DEFERRED_DENSE_REPAIRS) % 2 === 1;
        slot++;
      }
      dual += priceAndChoose(n, optStart, optCost, optA, optB, optGate, prefix, mu, unplacedPenaltyS, usage, gateUsage);
      if (dual > roundLower + 1e-9) {
        roundLower = dual;
        if (dual > lower + 1e-9) {
          lower = dual;
          bestLambda.set(lambda);
          bestMu.set(mu);
        }
        sinceImproved = 0;
      } else if (++sinceImproved >= patience) {
        theta /= 2;
        sinceImproved = 0;
      }
      if (isRepairRound) {
        fillPrefix(averagePrices.prefix, averageLambda, chainCount, P);
        const averagedDual =
          lessPriced(lessPriced(0, averageLambda, chainCap), averageMu, gateCap) +
          priceForRepair(averagePrices, averageUsage, averageGateUsage);
        // Any prices that are not negative give a bound, and the averaged ones often a better one than the round's:
        // the stop rules see it sooner (gaps to HiGHS unchanged on seeds 1-20 of the three days; 4-28 fewer rounds
        // on 7 of the 60 days, 23 more on one).
        if (averagedDual > lower + 1e-9) {
          lower = averagedDual;
          bestLambda.set(averageLambda);
          bestMu.set(averageMu);
        }
        repair(instance, averagePrices, scratch, pick);
        if (polishEveryRepair) improveLocally(scratch);
        const value = scratch.objective();
        if (isExtra) {
          if (value < extraUpper - 1e-9) {
            extraUpper = value;
            extraPlan ??= new AllocationState(instance);
            extraPlan.copyFrom(scratch);
          }
        } else if (value < upper - 1e-9) {
          upper = value;
          best.copyFrom(scratch);
        }
      }
      if (upper - lower <= Math.max(1e-6, stopRatio) * Math.max(1, Math.abs(upper))) return;
      const norm = gateDirectionOf(
        bayDirection(usage, chainCap, lambda, direction, chainCount, P),
        gateUsage,
        gateCap,
        mu,
        gateDirection,
      );
      if (norm === 0) return;
      const step = (theta * (upper - dual)) / norm;
      stepPrices(lambda, direction, step);
      stepPrices(mu, gateDirection, step);
      towards(averageLambda, lambda);
      towards(averageMu, mu);
    }
  };
  runRounds(0, iterations, stopGapRatio, false);
  const baseRounds = done;
  if (extra.rounds > 0 && extra.deferPolishRatio !== undefined && mayBeFarOff(upper, lower, extra.deferPolishRatio)) {
    // So far off that the first plan, polished, would still be above the target (cap-0.6 and gates × 0.6 days:
    // 2.1-7.5 % before polish, 0.6-3.5 % after): its polish is spent only to steer the extra rounds, and the polish
    // of a plan repaired at their better prices is what finds the better plan. Instead the rounds go on at once, every
    // repaired plan their Polyak target, and only the best is polished (gap to HiGHS on seeds 1-5: cap 0.6
    // 0.298-0.441 % with two polishes, 0.240-0.438 % with one; gates × 0.6 0.163-0.207 % → 0.126-0.203 %).
    // They stop once the repaired plan is within the same 2 %, as on the days that never defer (gates × 0.6: after
    // 6-60 of the 120 rounds on each of the 7 seeds of 8 that defer). Gap to HiGHS over seeds 1-8, all 120 rounds →
    // this: gates × 0.6 worst 0.203 → 0.220 %; cap 0.6 worst 0.454 % either way (seeds 3, 4, 8 stop after 90, 42, 13).
    runRounds(done, done + extra.rounds, extra.deferPolishRatio, false, true);
    polish(best, DEFERRED_POLISH_ROUNDS);
    return result(best, lower, bestLambda, bestMu, done, done - baseRounds);
  }
  // Local search is the expensive part, so it runs once, on the best repaired plan; then paths of moves through
  // full gates, which its single ejections cannot find (on days whose gates bind they place cars off the wait-list:
  // the worst gap over 8 seeds with gates planned at 60% of their rate fell from 0.89% to 0.66%, for ~20% more time).
  polish(best);
  upper = best.objective();
  if (extra.rounds > 0 && mayBeFarOff(upper, lower, extra.targetRatio)) {
    // The duality gap says the plan may be further off than the target: more rounds, the step size going on from
    // where it was (warm) and the polished plan as the Polyak target (closer to the optimum than any repaired
    // plan, so smaller, truer steps); they stop as soon as the gap is certified within `stopRatio`. Only their second
    // half repairs (the prices of the first half are never the best: same plans on 5 seeds of the cap-0.6 day).
    runRounds(done, done + extra.rounds, extra.stopRatio, true);
    // Certified within the stop gap: the plan is good enough as it is. Otherwise the best plan repaired at the
    // better prices is polished too, and the cheaper of the two kept.
    if (extraPlan !== undefined && mayBeFarOff(upper, lower, extra.stopRatio)) {
      polish(extraPlan);
      if (extraPlan.objective() < upper - 1e-9) {
        best.copyFrom(extraPlan);
        upper = best.objective();
      }
    }
  }
  return result(best, lower, bestLambda, bestMu, done, done - baseRounds);
}

function result(
  state: AllocationState,
  lower: number,
  bayPriceS: Float64Array,
  gatePriceS: Float64Array,
  iterations: number,
  extraIterations: number,
): PriceOptimiserResult {
  return { state, lowerBoundS: Math.max(lower, 0), bayPriceS, gatePriceS, iterations, extraIterations };
}

/** Local search (up to `localRounds` rounds), then paths of moves through full gates. */
function polish(state: AllocationState, localRounds?: number): void {
  improveLocally(state, localRounds);
  improveByGatePaths(state);
}

/**
 * Whether a plan of cost `upper` may be more than `targetRatio` above the optimum, as far as the bound `lower` can
 * tell (the optimum lies between them).
 */
export function mayBeFarOff(upper: number, lower: number, targetRatio: number): boolean {
  return upper - lower > targetRatio * Math.max(1, Math.abs(upper));
}

/** Per chain, the running sums of its bay prices over the points (`chain × (P + 1) + point`). */
function fillPrefix(prefix: Float64Array, lambda: Float64Array, chainCount: number, P: number): void {
  for (let c = 0; c < chainCount; c++) {
    let acc = 0;
    const base = c * (P + 1);
    prefix[base] = 0;
    for (let p = 0; p < P; p++) {
      acc += lambda[c * P + p] as number;
      prefix[base + p + 1] = acc;
    }
  }
}

/** `value` less each price times its capacity. */
function lessPriced(value: number, prices: Float64Array, capacity: Int32Array): number {
  let sum = value;
  for (let k = 0; k < prices.length; k++) sum -= (prices[k] as number) * (capacity[k] as number);
  return sum;
}

/**
 * The subgradient of the dual for the bay rows (priced usage minus capacity), deflected by the previous direction to
 * damp the zig-zag between lots of equal cost, into `direction`; answers its squared norm.
 */
function bayDirection(
  usage: Int32Array,
  chainCap: Int32Array,
  lambda: Float64Array,
  direction: Float64Array,
  chainCount: number,
  P: number,
): number {
  let norm = 0;
  for (let c = 0; c < chainCount; c++) {
    let running = 0;
    for (let p = 0; p < P; p++) {
      running += usage[c * (P + 1) + p] as number;
      const k = c * P + p;
      let g = running - (chainCap[k] as number) + DEFLECTION * (direction[k] as number);
      if (g < 0 && (lambda[k] as number) <= 0) g = 0;
      direction[k] = g;
      norm += g * g;
    }
  }
  return norm;
}

/** The same for the gate rows, its squared norm added to `normSoFar`. */
function gateDirectionOf(
  normSoFar: number,
  gateUsage: Int32Array,
  gateCap: Int32Array,
  mu: Float64Array,
  direction: Float64Array,
): number {
  let norm = normSoFar;
  for (let k = 0; k < mu.length; k++) {
    let g = (gateUsage[k] as number) - (gateCap[k] as number) + DEFLECTION * (direction[k] as number);
    if (g < 0 && (mu[k] as number) <= 0) g = 0;
    direction[k] = g;
    norm += g * g;
  }
  return norm;
}

/** Prices moved along the direction, never below zero. */
function stepPrices(prices: Float64Array, direction: Float64Array, step: number): void {
  for (let k = 0; k < prices.length; k++)
    prices[k] = Math.max(0, (prices[k] as number) + step * (direction[k] as number));
}

/** The exponential average of the prices moved towards the new prices by {@link AVERAGE_PRICE_WEIGHT}. */
function towards(average: Float64Array, prices: Float64Array): void {
  for (let k = 0; k < average.length; k++)
    average[k] = (1 - AVERAGE_PRICE_WEIGHT) * (average[k] as number) + AVERAGE_PRICE_WEIGHT * (prices[k] as number);
}

/** Where each option's hold starts and ends in the per-chain prefix sums (`chain × (P + 1) + point`). */
export function prefixIndices(instance: AllocationInstance): { optA: Int32Array; optB: Int32Array } {
  const { optChain, optFrom, optTo, pointCount: P } = instance;
  const optA = new Int32Array(optChain.length);
  const optB = new Int32Array(optChain.length);
  for (let o = 0; o < optChain.length; o++) {
    const base = (optChain[o] as number) * (P + 1);
    optA[o] = base + (optFrom[o] as number);
    optB[o] = base + (optTo[o] as number);
  }
  return { optA, optB };
}
