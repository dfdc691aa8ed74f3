import { describe, expect, it } from 'vitest';
import { sumoTiming, timeWarm, timingText } from '../../bench/sumo-osm-timing.js';

describe('sumoTiming (SUMO timings over repeated runs)', () => {
  it("takes the median of each run's process CPU less its own loading CPU", () => {
    // Runs of the same size whose single differences scatter (0.05 to 0.40 s): 0.2, 0.05, 0.4, 0.2, 0.2.
    const runs = [
      { totalCpuS: 0.5, loadingCpuS: 0.3, simulationS: 0.14 },
      { totalCpuS: 0.45, loadingCpuS: 0.4, simulationS: 0.13 },
      { totalCpuS: 0.7, loadingCpuS: 0.3, simulationS: 0.2 },
      { totalCpuS: 0.55, loadingCpuS: 0.35, simulationS: 0.15 },
      { totalCpuS: 0.52, loadingCpuS: 0.32, simulationS: 0.16 },
    ];
    const timing = sumoTiming(runs);
    expect(timing.runs).toBe(5);
    expect(timing.totalCpuS).toBeCloseTo(0.52, 12);
    expect(timing.cpuS).toBeCloseTo(0.2, 12);
    expect(timing.durationS).toBeCloseTo(0.15, 12);
    // Five runs: the median's interval is the range (coverage 94%).
    expect(timing.cpuLowS).toBeCloseTo(0.05, 12);
    expect(timing.cpuHighS).toBeCloseTo(0.4, 12);
    expect(timing.durationLowS).toBeCloseTo(0.13, 12);
    expect(timing.durationHighS).toBeCloseTo(0.2, 12);
    expect(timing.totalSamplesS).toEqual([0.5, 0.45, 0.7, 0.55, 0.52]);
    expect(timing.loadingSamplesS).toEqual([0.3, 0.4, 0.3, 0.35, 0.32]);
  });

  it('never gives a negative CPU time, and needs a run', () => {
    const timing = sumoTiming([{ totalCpuS: 0.3, loadingCpuS: 0.35, simulationS: 0.01 }]);
    expect(timing.cpuS).toBe(0);
    expect(timing.cpuLowS).toBe(0);
    expect(() => sumoTiming([])).toThrow(/no runs/);
  });

  it('prints a timing with its interval', () => {
    expect(timingText(0.15, 0.12, 0.19, 5)).toBe('0.150 s (0.120–0.190, median of 5)');
  });
});

describe('timeWarm (citybay timed after untimed warm-up runs)', () => {
  it('leaves the warm-up runs out of the median and shows a timing still falling', () => {
    // A fake run whose CPU cost falls from 10 to 1 over its first 10 calls, then stays at 1 (V8 warming up).
    let now = 0;
    let calls = 0;
    const clocks = { cpuS: () => now, wallS: () => now };
    const run = () => {
      now += Math.max(1, 10 - calls);
      return ++calls;
    };
    const warm = timeWarm(run, 10, 15, clocks);
    expect(warm.value).toBe(25);
    expect(warm.coldS).toBe(10);
    expect(warm.cpuS).toBe(1);
    expect(warm.wallS).toBe(1);
    expect(warm.firstThirdCpuS).toBe(warm.lastThirdCpuS);
    // With 2 warm-up runs the timed ones still fall (8, 7, …, 2, then 1 ×8): the median hides it, the thirds show it.
    calls = 0;
    const cold = timeWarm(run, 2, 15, clocks);
    expect(cold.cpuS).toBe(1);
    expect(cold.firstThirdCpuS).toBe(6);
    expect(cold.lastThirdCpuS).toBe(1);
    expect(cold.cpuHighS).toBeGreaterThan(cold.cpuLowS);
  });
});
