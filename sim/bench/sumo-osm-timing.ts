// SUMO's simulation time over repeated runs (sumo-osm.ts, traffic-sumo.ts). One run's CPU time less one loading run's
// is a difference of two single samples: on benchmark (c) meso's came out 0.059–0.228 s for runs of the same size
// (16:41–16:46, load ~1). The median over several runs, with the interval it may lie in, is a measurement.
import { medianWithInterval } from '@citybay/common/testing';

/** What one timed SUMO run gives (sumo-osm-support.ts `SumoRunFigures`). */
export interface SumoRunTiming {
  /** CPU time of the whole process, loading included (s). */
  totalCpuS: number;
  /** CPU time of a run that only loads the same inputs (s). */
  loadingCpuS: number;
  /** SUMO's own step-loop time (`Duration` of `--duration-log.statistics`; wall time, loading excluded) (s). */
  simulationS: number;
}

export interface SumoTiming {
  runs: number;
  /** Median process CPU less median loading CPU (s), never below 0. */
  cpuS: number;
  /** Where `cpuS` may lie: the low end of the totals' median interval less the high end of the loadings', and back. */
  cpuLowS: number;
  cpuHighS: number;
  /** Median process CPU, loading included (s). */
  totalCpuS: number;
  /** Median of SUMO's step-loop `Duration` and its interval (s). */
  durationS: number;
  durationLowS: number;
  durationHighS: number;
}

/** Medians and intervals of SUMO's timings over `runs` (at least one). */
export function sumoTiming(runs: readonly SumoRunTiming[]): SumoTiming {
  if (runs.length === 0) throw new Error('sumoTiming: no runs');
  const total = medianWithInterval(runs.map((r) => r.totalCpuS));
  const loading = medianWithInterval(runs.map((r) => r.loadingCpuS));
  const duration = medianWithInterval(runs.map((r) => r.simulationS));
  return {
    runs: runs.length,
    cpuS: Math.max(0, total.median - loading.median),
    cpuLowS: Math.max(0, total.low - loading.high),
    cpuHighS: Math.max(0, total.high - loading.low),
    totalCpuS: total.median,
    durationS: duration.median,
    durationLowS: duration.low,
    durationHighS: duration.high,
  };
}

/** `0.150 s (0.120–0.190, median of 5)`: a timing with its interval. */
export function timingText(medianS: number, lowS: number, highS: number, runs: number): string {
  return `${medianS.toFixed(3)} s (${lowS.toFixed(3)}–${highS.toFixed(3)}, median of ${runs})`;
}
