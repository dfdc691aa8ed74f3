import { describe, expect, it } from 'vitest';
import {
  fasterThanLivingStreets,
  isSlowCarSample,
  maxSampleText,
  pctDiff,
  seedSpreadLines,
  seedStats,
  slowCarMaxCount,
  spreadLine,
  sumoSeedCount,
  sumoSeedFigures,
  sumoSeeds,
  type SumoSeedFigures,
} from '../../bench/sumo-seed-spread.js';

describe('seedStats (SUMO figures over its seeds)', () => {
  it('gives mean, median, range and the sample standard deviation', () => {
    const stats = seedStats([47.25, 49.57, 48.37, 87.66, 43.52]);
    expect(stats.n).toBe(5);
    expect(stats.mean).toBeCloseTo(55.274, 3);
    expect(stats.median).toBe(48.37);
    expect(stats.min).toBe(43.52);
    expect(stats.max).toBe(87.66);
    // √(Σ(v − mean)² / (n − 1)) = √(1331.60 / 4).
    expect(stats.sd).toBeCloseTo(18.2455, 3);
    // The textbook case: mean 5, squared deviations 32 over 7.
    expect(seedStats([2, 4, 4, 4, 5, 5, 7, 9]).sd).toBeCloseTo(Math.sqrt(32 / 7), 12);
  });

  it('takes the middle pair for an even count and leaves NaN out', () => {
    const stats = seedStats([4, Number.NaN, 1, 3, 2]);
    expect(stats.n).toBe(4);
    expect(stats.median).toBe(2.5);
    expect(stats.mean).toBe(2.5);
  });

  it('has no spread for one run and no figures for none', () => {
    expect(seedStats([3]).sd).toBe(0);
    expect(Number.isNaN(seedStats([]).mean)).toBe(true);
  });
});

describe('the SUMO seeds of a case', () => {
  it('starts with the seed of the single reference run', () => {
    expect(sumoSeeds(42, 5)).toEqual([42, 43, 44, 45, 46]);
    expect(sumoSeeds(1, 1)).toEqual([1]);
  });

  it('reads CB_SUMO_SEEDS, falling back when unset and refusing nonsense', () => {
    expect(sumoSeedCount(undefined, 5)).toBe(5);
    expect(sumoSeedCount('', 3)).toBe(3);
    expect(sumoSeedCount('8', 5)).toBe(8);
    expect(() => sumoSeedCount('0', 5)).toThrow(/CB_SUMO_SEEDS/);
    expect(() => sumoSeedCount('2.5', 5)).toThrow(/CB_SUMO_SEEDS/);
  });
});

describe('citybay against SUMO single run and seed mean', () => {
  it('prints both differences, the spread and whether citybay is inside SUMO range', () => {
    const line = spreadLine('max queue (m)', 35, 47.25, seedStats([47.25, 49.57, 48.37, 87.66, 43.52]));
    expect(line).toContain('SUMO single run 47.3: -25.9%');
    expect(line).toContain('SUMO mean of 5 55.3: -36.7%');
    expect(line).toContain('43.5–87.7, spread 79.9%');
    expect(line).toContain('citybay outside');
    expect(spreadLine('x', 45, 47, seedStats([43, 47, 50]))).toContain('citybay inside');
  });

  it('gives no difference against zero', () => {
    expect(Number.isNaN(pctDiff(1, 0))).toBe(true);
    expect(pctDiff(110, 100)).toBeCloseTo(10, 9);
  });
});

describe('what SUMO max queue was', () => {
  const dawdler = { laneId: '180789857#5_0', timeS: 320, standingM: 0, slowM: 47.25 };
  const standing = { laneId: '-52081075#2_1', timeS: 1810, standingM: 87.66, slowM: 72.65 };

  it('tells a car below 5 km/h with nothing standing from a standing queue', () => {
    expect(maxSampleText(dawdler, 2.78)).toBe(
      '180789857#5_0 at 320 s: a car below 5 km/h at 47.3 m, standing cars 0.0 m, lane 2.78 m/s',
    );
    expect(maxSampleText(standing, 13.89)).toBe('-52081075#2_1 at 1810 s: standing queue 87.7 m, lane 13.89 m/s');
    expect(maxSampleText(undefined, undefined)).toBe('no queue');
  });

  it('counts a slow car as such only on a lane of at most 10 km/h', () => {
    expect(isSlowCarSample(dawdler, 2.78)).toBe(true);
    expect(isSlowCarSample(dawdler, 13.89)).toBe(false);
    expect(isSlowCarSample(standing, 2.78)).toBe(false);
    const run = (maxSample: typeof dawdler, maxLaneSpeedMps: number): SumoSeedFigures => ({
      seed: 1,
      meanTravelS: 1,
      maxQueueM: 1,
      meanQueueM: 1,
      notFinished: 0,
      teleports: 0,
      maxWhat: '',
      maxSample,
      maxLaneSpeedMps,
    });
    expect(slowCarMaxCount([run(dawdler, 2.78), run(standing, 13.89), run(dawdler, 2.78)])).toBe(2);
  });
});

describe('the max queue without living streets (a diagnostic)', () => {
  const speedOf = new Map([
    ['living', 2.78],
    ['main', 13.89],
  ]);
  const run = (livingM: number, mainM: number, seed: number) => {
    const figures = { meanTravelS: 100, maxQueueM: Math.max(livingM, mainM), meanQueueM: 0.1, notFinished: 0 };
    const queueByEdgeMinute = new Map([
      ['living', Float64Array.from([0, livingM])],
      ['main', Float64Array.from([mainM, 0])],
    ]);
    const maxSample = { laneId: 'living_0', timeS: 60, standingM: 0, slowM: livingM };
    const fast = fasterThanLivingStreets(speedOf, ['living', 'main']);
    return sumoSeedFigures(seed, figures, { teleports: 0, maxSample, queueByEdgeMinute }, speedOf, 2, fast);
  };

  it('leaves out edges of at most 3 m/s, and keeps edges of unknown speed', () => {
    expect(fasterThanLivingStreets(speedOf, ['living', 'main', 'unknown'])).toEqual(['main', 'unknown']);
  });

  it('reads the max over the faster edges beside the whole max, and what the whole max was', () => {
    const figures = run(47.25, 36, 42);
    expect(figures.maxFastM).toBe(36);
    expect(figures.maxFastAt).toBe('main minute 0');
    expect(figures.maxLaneSpeedMps).toBe(2.78);
    expect(isSlowCarSample(figures.maxSample, figures.maxLaneSpeedMps)).toBe(true);
  });

  it('prints the diagnostic only when every run and citybay have it', () => {
    const runs = [run(47.25, 36, 42), run(49.5, 43.5, 43)];
    const ours = { meanTravelS: 99, maxQueueM: 35, meanQueueM: 0.1 };
    expect(seedSpreadLines(ours, runs[0]!, runs).some((l) => l.includes('diagnostic'))).toBe(false);
    const lines = seedSpreadLines({ ...ours, maxFastM: 35 }, runs[0]!, runs);
    expect(lines.find((l) => l.includes('diagnostic'))).toContain(
      'SUMO single run 36.0: -2.8% | SUMO mean of 2 39.8: -11.9%',
    );
    expect(lines[1]).toContain('lanes > 3 m/s: 36.0 m (main minute 0)');
  });
});

describe('through traffic in the spread', () => {
  const run = (seed: number, meanTravelS: number, meanThroughS: number): SumoSeedFigures =>
    sumoSeedFigures(
      seed,
      { meanTravelS, meanThroughS, maxQueueM: 464, meanQueueM: 35, notFinished: 0 },
      { teleports: 0 },
      new Map(),
      90,
    );

  it('prints a through line where through traffic is not every car (benchmark (a))', () => {
    const runs = [run(1, 265, 147.3), run(2, 266.5, 149.3)];
    const lines = seedSpreadLines(
      { meanTravelS: 256.3, meanThroughS: 139.6, maxQueueM: 462.5, meanQueueM: 36.6 },
      runs[0]!,
      runs,
    );
    expect(lines.find((l) => l.includes('through (s)'))).toContain(
      'SUMO single run 147.3: -5.2% | SUMO mean of 2 148.3',
    );
  });

  it('prints none where every car is through traffic (the grids)', () => {
    const runs = [run(1, 148.7, 148.7), run(2, 149.1, 149.1)];
    const lines = seedSpreadLines(
      { meanTravelS: 147.7, meanThroughS: 147.7, maxQueueM: 27.5, meanQueueM: 0.4 },
      runs[0]!,
      runs,
    );
    expect(lines.some((l) => l.includes('through (s)'))).toBe(false);
  });
});
