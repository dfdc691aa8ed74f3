import type { TrafficRunOutput } from '@citybay/sim';

/** What the closed-loop benchmark compares, over one window of the simulated day. */
export interface WindowFigures {
  fromS: number;
  toS: number;
  /** Hospital approach queue (m): the largest and the 95th percentile of the queue samples in the window. */
  peakQueueM: number;
  p95QueueM: number;
  /** Park trips that set off in the window: how many, mean time from wanting to leave to passing the gate (s). */
  parkTrips: number;
  meanTimeToParkS: number;
  /** Park trips that set off in the window at least `settleS` before its end and had not parked by its end. */
  notParked: number;
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/**
 * The figures of one run over `[fromS, toS)`, read from the engine's own outputs, so the twin and the offline run are
 * measured by the same code. A trip that set off later than `settleS` before the end is not counted as not parked:
 * it had no time to.
 */
export function windowFigures(output: TrafficRunOutput, fromS: number, toS: number, settleS = 1800): WindowFigures {
  const { queueSampleS, approachSamplesM } = output.queues;
  const samples: number[] = [];
  for (let i = 0; i < approachSamplesM.length; i++) {
    const atS = output.startS + i * queueSampleS;
    if (atS >= fromS && atS < toS) samples.push(approachSamplesM[i]!);
  }
  samples.sort((a, b) => a - b);
  let parkTrips = 0;
  let parkedSumS = 0;
  let parked = 0;
  let notParked = 0;
  for (let v = 0; v < output.tripCount; v++) {
    if (output.purpose[v] !== 0) continue;
    const departS = output.departS[v]!;
    if (departS < fromS || departS >= toS) continue;
    parkTrips++;
    const doneS = output.doneS[v]!;
    if (Number.isFinite(doneS) && doneS < toS) {
      parked++;
      parkedSumS += doneS - departS;
    } else if (departS < toS - settleS) notParked++;
  }
  return {
    fromS,
    toS,
    peakQueueM: samples[samples.length - 1] ?? 0,
    p95QueueM: percentile(samples, 95),
    parkTrips,
    meanTimeToParkS: parked === 0 ? 0 : parkedSumS / parked,
    notParked,
  };
}
