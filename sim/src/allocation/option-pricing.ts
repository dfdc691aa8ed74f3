import { PRICED_NOT_BELOW_S } from './priced-repair.js';

// The two passes over every car's options at a set of prices: a price round's, which needs each car's cheapest
// option alone, and a repair's, which also needs the second cheapest (the car's regret). They were one function
// with a flag; the round's pass, ~240 times a tight plan against ~20 for the repairs', tracked the second cheapest
// for nothing (the same choices: the round's scan stops at its best priced option as it did).

/**
 * One Lagrangian round: prices every option, lets each car take its cheapest (or the wait-list), records the usage
 * that choice implies and returns the sum of the cars' reduced costs.
 */
export function priceAndChoose(
  n: number,
  optStart: Int32Array,
  optCost: Float64Array,
  optA: Int32Array,
  optB: Int32Array,
  optGate: Int32Array,
  prefix: Float64Array,
  mu: Float64Array,
  unplacedPenaltyS: number,
  usage: Int32Array,
  gateUsage: Int32Array,
): number {
  let sum = 0;
  // A start of number type keeps bestRc an unboxed double: started from the (tagged) parameter, V8 boxed every
  // better rc into a new heap number even in optimised code (11 MB of garbage in a tight day's plan).
  const waitListS = +unplacedPenaltyS;
  for (let i = 0; i < n; i++) {
    let bestO = -1;
    let bestRc = waitListS;
    const end = optStart[i + 1] as number;
    // Prices are never negative, so no option costs less priced than plain: options come cheapest first, and once
    // one's plain cost reaches the best priced so far none after it can change it (the margin covers rounding).
    let stopS = bestRc + PRICED_NOT_BELOW_S;
    for (let o = optStart[i] as number; o < end; o++) {
      if ((optCost[o] as number) >= stopS) break;
      const rc =
        (optCost[o] as number) +
        (prefix[optB[o] as number] as number) -
        (prefix[optA[o] as number] as number) +
        (mu[optGate[o] as number] as number);
      if (rc < bestRc) {
        bestRc = rc;
        bestO = o;
        stopS = rc + PRICED_NOT_BELOW_S;
      }
    }
    sum += bestRc;
    if (bestO >= 0) {
      const a = optA[bestO] as number;
      const b = optB[bestO] as number;
      usage[a] = (usage[a] as number) + 1;
      usage[b] = (usage[b] as number) - 1;
      const g = optGate[bestO] as number;
      gateUsage[g] = (gateUsage[g] as number) + 1;
    }
  }
  return sum;
}

/**
 * {@link priceAndChoose} for a repair at the same prices: also writes each car's regret (its second cheapest priced
 * option, or the wait-list, less its cheapest) and its cheapest priced option (-1: the wait-list) into `regret` and
 * `cheapest` (a {@link RepairPick}'s, passed apart: read from the pick here, the reads had no type feedback until the
 * first repair round and V8 threw the optimised rounds away there). One scan of the options where the repair made a
 * second.
 */
export function priceWithRegret(
  n: number,
  optStart: Int32Array,
  optCost: Float64Array,
  optA: Int32Array,
  optB: Int32Array,
  optGate: Int32Array,
  prefix: Float64Array,
  mu: Float64Array,
  unplacedPenaltyS: number,
  usage: Int32Array,
  gateUsage: Int32Array,
  regret: Float64Array,
  cheapest: Int32Array,
): number {
  let sum = 0;
  const waitListS = +unplacedPenaltyS;
  for (let i = 0; i < n; i++) {
    let bestO = -1;
    let bestRc = waitListS;
    let secondRc = waitListS;
    const end = optStart[i + 1] as number;
    // As in priceAndChoose, the scan stopping at the second best priced so far: the first best is the same either way.
    let stopS = secondRc + PRICED_NOT_BELOW_S;
    for (let o = optStart[i] as number; o < end; o++) {
      if ((optCost[o] as number) >= stopS) break;
      const rc =
        (optCost[o] as number) +
        (prefix[optB[o] as number] as number) -
        (prefix[optA[o] as number] as number) +
        (mu[optGate[o] as number] as number);
      if (rc < bestRc) {
        secondRc = bestRc;
        bestRc = rc;
        bestO = o;
      } else if (rc < secondRc) secondRc = rc;
      else continue;
      stopS = secondRc + PRICED_NOT_BELOW_S;
    }
    sum += bestRc;
    regret[i] = secondRc - bestRc;
    cheapest[i] = bestO;
    if (bestO >= 0) {
      const a = optA[bestO] as number;
      const b = optB[bestO] as number;
      usage[a] = (usage[a] as number) + 1;
      usage[b] = (usage[b] as number) - 1;
      const g = optGate[bestO] as number;
      gateUsage[g] = (gateUsage[g] as number) + 1;
    }
  }
  return sum;
}
