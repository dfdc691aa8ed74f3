/** A sample's median with a distribution-free confidence interval for the population median. */
export interface MedianInterval {
  median: number;
  low: number;
  high: number;
  /** Coverage the interval reaches (at least `confidence` when there are enough samples; with fewer, min to max). */
  coverage: number;
}

/**
 * The median and the order-statistic interval `[x(k), x(n−k+1)]`: the population median lies below `x(k)` only if
 * fewer than k samples fall below it, a binomial(n, ½) tail, so k is the largest rank whose two tails together stay
 * within 1 − confidence. It assumes nothing about the shape of the noise, which on a shared VM is anything but normal.
 */
export function medianWithInterval(values: readonly number[], confidence = 0.95): MedianInterval {
  if (values.length === 0) throw new Error('medianWithInterval: no values');
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const mid = n >> 1;
  const median = n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  // below[j] = P(X < j+1) = P(X ≤ j) for X ~ binomial(n, ½).
  let probability = 0.5 ** n;
  let cumulative = 0;
  let k = 0;
  for (let j = 0; j < mid; j++) {
    cumulative += probability;
    if (2 * cumulative > 1 - confidence) break;
    k = j + 1;
    probability = (probability * (n - j)) / (j + 1);
  }
  if (k === 0) return { median, low: sorted[0]!, high: sorted[n - 1]!, coverage: 1 - 2 * 0.5 ** n };
  let tail = 0;
  let term = 0.5 ** n;
  for (let j = 0; j < k; j++) {
    tail += term;
    term = (term * (n - j)) / (j + 1);
  }
  return { median, low: sorted[k - 1]!, high: sorted[n - k]!, coverage: 1 - 2 * tail };
}
