// SUMO's simulation time over repeated runs (sumo-osm.ts, traffic-sumo.ts). One run's CPU time less one loading run's
// is a difference of two single samples: on benchmark (c) meso's came out 0.059–0.228 s for runs of the same size
// (16:41–16:46, load ~1). The median over several runs of each run less its own loading run, with the interval it
// may lie in, is a measurement.
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
  /**
   * Median over the runs of process CPU less its own loading-only CPU (s), never below 0. Paired, as each loading run
   * runs just before its full run: inside bench (c) both moved together by up to ×1.5 over 5 runs (17:08, seed 42:
   * meso 0.56–0.80 s and 0.39–0.58 s), so the median total less the median loading read 0.122 s (0.000–0.402) and
   * the paired median 0.196 s (0.082–0.235).
   */
  cpuS: number;
  /** The paired median's interval (`medianWithInterval`). */
  cpuLowS: number;
  cpuHighS: number;
  /** Median process CPU, loading included (s). */
  totalCpuS: number;
  /** Median of SUMO's step-loop `Duration` and its interval (s). */
  durationS: number;
  durationLowS: number;
  durationHighS: number;
  /** Every run's process CPU and its loading-only CPU, in run order (s). */
  totalSamplesS: number[];
  loadingSamplesS: number[];
}

/** Medians and intervals of SUMO's timings over `runs` (at least one). */
export function sumoTiming(runs: readonly SumoRunTiming[]): SumoTiming {
  if (runs.length === 0) throw new Error('sumoTiming: no runs');
  const total = medianWithInterval(runs.map((r) => r.totalCpuS));
  const duration = medianWithInterval(runs.map((r) => r.simulationS));
  const paired = medianWithInterval(runs.map((r) => r.totalCpuS - r.loadingCpuS));
  return {
    runs: runs.length,
    cpuS: Math.max(0, paired.median),
    cpuLowS: Math.max(0, paired.low),
    cpuHighS: Math.max(0, paired.high),
    totalCpuS: total.median,
    durationS: duration.median,
    durationLowS: duration.low,
    durationHighS: duration.high,
    totalSamplesS: runs.map((r) => r.totalCpuS),
    loadingSamplesS: runs.map((r) => r.loadingCpuS),
  };
}

/** `0.150 s (0.120–0.190, median of 5)`: a timing with its interval. */
export function timingText(medianS: number, lowS: number, highS: number, runs: number): string {
  return `${medianS.toFixed(3)} s (${lowS.toFixed(3)}–${highS.toFixed(3)}, median of ${runs})`;
}

/** CPU and wall time readers (s), injectable so the helper can be tested without timing anything. */
export interface Clocks {
  cpuS: () => number;
  wallS: () => number;
}

const processClocks: Clocks = {
  cpuS: () => {
    const used = process.cpuUsage();
    return (used.user + used.system) / 1e6;
  },
  wallS: () => performance.now() / 1000,
};

export interface WarmTiming<T> {
  value: T;
  /** The first, cold run's wall time (compilation, tables and trees included) (s). */
  coldS: number;
  /** Median CPU and wall time of the timed runs, all after `warmups` untimed ones, with the CPU median's interval. */
  cpuS: number;
  cpuLowS: number;
  cpuHighS: number;
  wallS: number;
  /** Median CPU of the first and of the last third of the timed runs: apart if V8 was still warming up. */
  firstThirdCpuS: number;
  lastThirdCpuS: number;
}

/**
 * Times `run` as benchmark (c) times citybay: one cold run, `warmups - 1` more untimed runs, then `repeats` timed
 * ones. The first seed of a quiet 5-seed run read 0.031–0.034 s against 0.023 s for the others (16:41–16:46), each
 * seed its own process after 4 warm-up runs; the thirds show whether the timed runs were still getting faster.
 */
export function timeWarm<T>(
  run: () => T,
  warmups: number,
  repeats: number,
  clocks: Clocks = processClocks,
): WarmTiming<T> {
  const coldStarted = clocks.wallS();
  let value = run();
  const coldS = clocks.wallS() - coldStarted;
  for (let i = 1; i < warmups; i++) value = run();
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const wallStarted = clocks.wallS();
    const cpuStarted = clocks.cpuS();
    value = run();
    cpu.push(clocks.cpuS() - cpuStarted);
    wall.push(clocks.wallS() - wallStarted);
  }
  const interval = medianWithInterval(cpu);
  const third = Math.max(1, Math.floor(repeats / 3));
  return {
    value,
    coldS,
    cpuS: interval.median,
    cpuLowS: interval.low,
    cpuHighS: interval.high,
    wallS: medianWithInterval(wall).median,
    firstThirdCpuS: medianWithInterval(cpu.slice(0, third)).median,
    lastThirdCpuS: medianWithInterval(cpu.slice(-third)).median,
  };
}
