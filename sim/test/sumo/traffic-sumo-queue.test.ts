import { describe, expect, it } from 'vitest';
import {
  CHAIN_QUEUE,
  chainQueueM,
  classifySample,
  emptyAgreement,
  type LaneCar,
} from '../../bench/traffic-sumo-queue.js';

const LANE_M = 100;
const standing = (posM: number): LaneCar => ({ posM, speedMps: 0 });

describe('chainQueueM (cars below 5 km/h joined to the stop line, from SUMO FCD)', () => {
  it('reads a standing queue as SUMO does: the first car 1 m short of the end, 7.5 m a car, 7.5 n − 1.5 m', () => {
    const queue = [99, 91.5, 84, 76.5].map(standing);
    expect(chainQueueM(queue, LANE_M)).toBeCloseTo(4 * 7.5 - 1.5, 9);
    // In any order.
    expect(chainQueueM([...queue].reverse(), LANE_M)).toBeCloseTo(28.5, 9);
  });

  it('does not count a lone slow car in mid-lane: no queue', () => {
    expect(chainQueueM([{ posM: 25, speedMps: 1.3 }], LANE_M)).toBe(0);
    expect(chainQueueM([standing(60)], LANE_M)).toBe(0);
  });

  it('joins crawling cars following closely and stops the line at a gap too big', () => {
    const crawling = [standing(99), { posM: 91, speedMps: 1 }, { posM: 82.5, speedMps: 0.5 }];
    // Gaps 3 m and 3.5 m: all three joined; the rear of the third is 22.5 m from the end.
    expect(chainQueueM(crawling, LANE_M)).toBeCloseTo(22.5, 9);
    // A fourth car standing 6 m behind the third's rear (more than 5 m + 0.5 m/s × 1 s) is not joined, nor anyone
    // behind it.
    expect(chainQueueM([...crawling, standing(71.5), standing(64)], LANE_M)).toBeCloseTo(22.5, 9);
    // Exactly a jam gap behind: joined.
    expect(chainQueueM([...crawling, standing(77.5 - CHAIN_QUEUE.jamGapM)], LANE_M)).toBeCloseTo(32.5, 9);
    // Rolling at 1 m/s, 5.5 m behind: following it (5 m + 1 m/s × 1 s).
    expect(chainQueueM([...crawling, { posM: 72, speedMps: 1 }], LANE_M)).toBeCloseTo(33, 9);
  });

  it('keeps a discharging queue while the cars behind a car moving off follow it, not behind free flow', () => {
    // The head moving off, the next still close behind: the queue reaches the standing car's rear.
    expect(chainQueueM([{ posM: 99, speedMps: 2 }, standing(91.5)], LANE_M)).toBeCloseTo(13.5, 9);
    expect(chainQueueM([standing(99), { posM: 91.5, speedMps: 3 }, standing(84)], LANE_M)).toBeCloseTo(21, 9);
    // A standing car 14 m behind a car at 8 m/s (more than 5 m + 8 m/s × 1 s) does not follow it: the line ends there;
    // the car at speed is not queued.
    expect(chainQueueM([standing(99), { posM: 85, speedMps: 8 }, standing(66)], LANE_M)).toBeCloseTo(6, 9);
    expect(chainQueueM([{ posM: 99, speedMps: 2 }], LANE_M)).toBe(0);
  });

  it('heads the queue with a car near the line (one car place of slack) or following a car across it', () => {
    expect(chainQueueM([{ posM: 96, speedMps: 1 }], LANE_M)).toBeCloseTo(9, 9);
    expect(chainQueueM([standing(86.5), standing(79)], LANE_M)).toBeCloseTo(26, 9);
    expect(chainQueueM([standing(86), standing(78.5)], LANE_M)).toBe(0);
    // A discharging queue (SUMO, demand seed 7, --seed 10, 1,920 s): its first car rolls up to the line from a place
    // back, the next follows it, the rest still stand: 43.5 m, as the queue-output's standing cars read.
    const discharging = [{ posM: 88.7, speedMps: 2.88 }, { posM: 77.9, speedMps: 1.41 }, standing(69), standing(61.5)];
    expect(chainQueueM(discharging, LANE_M)).toBeCloseTo(43.5, 9);
    // After a red (SUMO, (a), e1_0 at 2,530 s): the leader moving off at 5.8 m/s opens the gap (9.4 m) faster than its
    // follower (3.3 m/s) keeps it; the standing tail is still the queue.
    const afterRed = [{ posM: 95.7, speedMps: 5.79 }, { posM: 81.3, speedMps: 3.28 }, standing(70), standing(62.5)];
    expect(chainQueueM(afterRed, LANE_M)).toBeCloseTo(42.5, 9);
    // The same first car crawling instead has no place of its own to roll from so far back: no queue.
    expect(chainQueueM([{ posM: 85.5, speedMps: 0.5 }, standing(78)], LANE_M)).toBe(0);
    // The junction car's rear overhangs the lane to 88 m: the first car 4 m behind it waits for it.
    expect(chainQueueM([standing(84), standing(76.5)], LANE_M, CHAIN_QUEUE, 88)).toBeCloseTo(28.5, 9);
    expect(chainQueueM([standing(84), standing(76.5)], LANE_M)).toBe(0);
  });
});

describe('classifySample (chain queue against SUMO queue-output)', () => {
  it('tells agreement, lone slow cars and standing cars not joined apart', () => {
    const a = emptyAgreement();
    classifySample(a, 28.5, 28.5, 28.5);
    classifySample(a, 9, 0, 9);
    classifySample(a, 0, 0, 80.2);
    classifySample(a, 0, 13.5, 13.5);
    classifySample(a, 6, 13.5, 0);
    classifySample(a, 90, 13.5, 70);
    classifySample(a, 0, 0, 0);
    expect(a).toEqual({ agreeStanding: 1, agreeSlow: 1, loneSlow: 1, standingNotJoined: 1, longer: 1, shorter: 1 });
  });
});
