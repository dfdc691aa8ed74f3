import type { TrafficRunOutput } from '@citybay/sim';
import { describe, expect, it } from 'vitest';
import { windowFigures } from '../../src/twin/window-figures.js';

/** A run from 07:00 with a queue sample a minute and four park trips and a through trip. */
function output(): TrafficRunOutput {
  const startS = 7 * 3600;
  const samples = Float32Array.from({ length: 240 }, (_, i) => (i < 60 ? 0 : i < 120 ? i : 10));
  return {
    startS,
    endS: startS + 4 * 3600,
    tripCount: 5,
    purpose: Uint8Array.from([0, 0, 0, 0, 1]),
    departS: Float64Array.from([startS + 600, startS + 1200, startS + 1800, startS + 3 * 3600 + 3000, startS + 60]),
    doneS: Float64Array.from([startS + 900, startS + 1700, Number.NaN, Number.NaN, startS + 400]),
    queues: { queueSampleS: 60, approachSamplesM: samples },
  } as unknown as TrafficRunOutput;
}

describe('windowFigures', () => {
  it('measures queue peak and p95, time to park and cars not parked over one window', () => {
    const figures = windowFigures(output(), 8 * 3600 - 1, 11 * 3600);
    expect(figures).toMatchObject({ peakQueueM: 119, parkTrips: 1, notParked: 0 });
    const whole = windowFigures(output(), 7 * 3600, 11 * 3600);
    // Trips 1 and 2 parked after 300 and 500 s; trip 3 never did; trip 4 set off too late to count as not parked.
    expect(whole).toMatchObject({ parkTrips: 4, meanTimeToParkS: 400, notParked: 1, peakQueueM: 119 });
    expect(whole.p95QueueM).toBe(107);
  });
});
