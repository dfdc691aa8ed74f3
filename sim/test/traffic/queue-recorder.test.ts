import { describe, expect, it } from 'vitest';
import {
  laneQueuePlaces,
  QUEUE_SPEED_THRESHOLD_MPS,
  queueLengthM,
  STOP_SHORT_AT_SIGNAL_M,
  type SampleView,
  standingAtRestart,
} from '../../src/traffic/queue-recorder.js';
import { DEFAULT_TRAFFIC_PARAMS } from '../../src/traffic/traffic-params.js';
import { TrafficSimulation } from '../../src/traffic/traffic-simulation.js';
import { corridorLot, corridorNetwork } from '../fixtures/corridor.js';

const params = DEFAULT_TRAFFIC_PARAMS;
const SPEED = (50 / 3.6) * params.freeFlowSpeedFactor;
const NOW = 1000;
/** Seconds a car reaches the back of a queue of `places` cars before it would have reached the stop line. */
const earlyS = (places: number) => (places * params.jamSpacingM) / SPEED;
/** Seconds after its free-flow arrival at its place that a car braking to a stop is below 5 km/h. */
const BRAKING_LAG_S = (SPEED / 2 - QUEUE_SPEED_THRESHOLD_MPS) / params.decelMps2;

/** One lane whose cars, head first, would reach the stop line driving freely at `readyS`. */
function lane(
  readyS: number[],
  state: { lastLeftS?: number; releasedS?: number; left?: number; standing?: number } = {},
): SampleView {
  return {
    activeEdges: Int32Array.of(0),
    activeCount: 1,
    laneHead: Int32Array.of(readyS.length > 0 ? 0 : -1),
    lastLeftS: Float64Array.of(state.lastLeftS ?? Number.NEGATIVE_INFINITY),
    releasedS: Float64Array.of(state.releasedS ?? Number.NEGATIVE_INFINITY),
    leftSinceRelease: Int32Array.of(state.left ?? 0),
    standingAtRelease: Int32Array.of(state.standing ?? 0),
    laneSpacingM: Float64Array.of(params.jamSpacingM),
    laneStorage: Int32Array.of(64),
    vNext: Int32Array.from(readyS, (_, i) => (i + 1 < readyS.length ? i + 1 : -1)),
    vReady: Float64Array.from(readyS),
    waitingToEnter: 0,
    onNetwork: readyS.length,
  };
}

describe('laneQueuePlaces (SUMO queue-output: rear of the last car below 5 km/h or standing)', () => {
  it('counts a car stopping at an empty line only once it has braked below 5 km/h', () => {
    expect(BRAKING_LAG_S).toBeGreaterThan(0.9);
    expect(laneQueuePlaces(lane([NOW - BRAKING_LAG_S + 0.2]), 0, SPEED, 64, params, NOW)).toBe(0);
    expect(laneQueuePlaces(lane([NOW - BRAKING_LAG_S - 0.2]), 0, SPEED, 64, params, NOW)).toBe(1);
  });

  it('counts a car joining a long held queue from when it reaches the back, before its free-flow time at the line', () => {
    const standing = Array.from({ length: 20 }, (_, i) => NOW - 100 + i);
    // The 21st car would reach the line 9 s from now, but its place is 20 cars back: 11 s nearer.
    expect(earlyS(20) - BRAKING_LAG_S).toBeGreaterThan(9);
    expect(laneQueuePlaces(lane([...standing, NOW + 9]), 0, SPEED, 64, params, NOW)).toBe(21);
    // Still driving towards the back: not queued, and neither is anyone behind it.
    const far = NOW + earlyS(20) - BRAKING_LAG_S + 1;
    expect(laneQueuePlaces(lane([...standing, far, NOW + 1]), 0, SPEED, 64, params, NOW)).toBe(20);
    // At a priority junction SUMO's first car stands at the lane's end: n cars reach 7.5 n − 2.5 m back; at a traffic
    // light it stands 1 m short: 7.5 n − 1.5 m.
    expect(queueLengthM(21, 480, params)).toBe(21 * 7.5 - 2.5);
    expect(queueLengthM(21, 480, params, STOP_SHORT_AT_SIGNAL_M)).toBe(21 * 7.5 - 1.5);
    expect(queueLengthM(1, 480, params, STOP_SHORT_AT_SIGNAL_M)).toBe(6);
    expect(queueLengthM(0, 480, params, STOP_SHORT_AT_SIGNAL_M)).toBe(0);
    expect(queueLengthM(100, 480, params, STOP_SHORT_AT_SIGNAL_M)).toBe(485);
  });

  it('keeps a discharging queue reaching back to its standing tail until the start wave reaches it', () => {
    const standing = [NOW - 60, NOW - 58, NOW - 56, NOW - 54, NOW - 52];
    // Released 3 s ago with 6 standing, one car gone: the wave has reached 2 of the 5 left; the tail stands 6 places
    // back.
    const discharging = { releasedS: NOW - 3, lastLeftS: NOW - 1, left: 1, standing: 6 };
    expect(laneQueuePlaces(lane(standing, discharging), 0, SPEED, 64, params, NOW)).toBe(6);
    // 6 s after release the wave has reached all six places: every car is moving.
    const later = { releasedS: NOW - 6, lastLeftS: NOW - 1, left: 2, standing: 6 };
    expect(laneQueuePlaces(lane(standing.slice(1), later), 0, SPEED, 64, params, NOW)).toBe(0);
    // Held again (nothing left for longer than a saturation headway): the cars stand from the line.
    const held = { releasedS: NOW - 30, lastLeftS: NOW - 20, left: 4, standing: 6 };
    expect(laneQueuePlaces(lane(standing, held), 0, SPEED, 64, params, NOW)).toBe(5);
    // A full lane (storage 5): the places of cars gone do not push the tail beyond the lane's start.
    expect(laneQueuePlaces(lane(standing, discharging), 0, SPEED, 5, params, NOW)).toBe(5);
  });

  it('leaves no places behind for cars that went by without standing (a flowing lane restarted)', () => {
    // A follower held at the line by the lane's saturation headway, 2 s after the lane let its leader go at its
    // free-flow time: nothing stood when the lane restarted, so the follower has no places behind it and, the start
    // wave having passed the line, is following its leader, not queued. Had two cars stood, it would stand 3 back.
    const flowing = { releasedS: NOW - 2, lastLeftS: NOW - 1, left: 2, standing: 0 };
    expect(laneQueuePlaces(lane([NOW - 1.5], flowing), 0, SPEED, 64, params, NOW)).toBe(0);
    expect(laneQueuePlaces(lane([NOW - 1.5], { ...flowing, standing: 2 }), 0, SPEED, 64, params, NOW)).toBe(3);
  });

  it('counts the cars standing when a lane restarts: none if the car leaving had only just reached the line', () => {
    const behind = { vNext: Int32Array.of(1, -1), vReady: Float64Array.of(NOW - 30, NOW + 5) };
    expect(standingAtRestart(behind, NOW - 0.5, 0, SPEED, params, NOW)).toBe(0);
    // Held at a red light for 40 s: it and the car that stopped behind it stood; the next was 5 s from its place.
    expect(standingAtRestart(behind, NOW - 40, 0, SPEED, params, NOW)).toBe(2);
  });

  it('has no queue on an empty lane', () => {
    expect(laneQueuePlaces(lane([]), 0, SPEED, 64, params, NOW)).toBe(0);
  });
});

describe('TrafficSimulation.linkQueuesM (what the twin and the dashboard show)', () => {
  it('is the queue the recorder samples: per link and minute, the same maximum over the 10-s samples', () => {
    const startS = 8 * 3600;
    const parkers = Array.from({ length: 200 }, (_, i) => ({
      id: `p${i}`,
      purpose: 'park' as const,
      departS: startS + i * 4,
      originEdgeId: 'a0',
      lotId: 'P',
      stayS: 4 * 3600,
    }));
    const simulation = new TrafficSimulation({
      network: corridorNetwork(5, 200),
      lots: [{ lot: corridorLot(20, 2), role: 'hospital', isOpenToHospital: true }],
      trips: parkers,
      startS,
      endS: startS + 1800,
    });
    const minutes = 30;
    const shown: number[][] = [];
    for (let t = startS; t < startS + minutes * 60; t += params.queueSampleS) {
      simulation.step(t);
      const minute = Math.floor((t - startS) / 60);
      const queues = simulation.linkQueuesM();
      queues.forEach((queueM, e) => {
        shown[e] ??= new Array<number>(minutes).fill(0);
        // The series are kept in single precision (a creeping queue's spacing is no multiple of 0.5 m).
        shown[e]![minute] = Math.max(shown[e]![minute]!, Math.fround(queueM));
      });
    }
    simulation.step(startS + 1800);
    const { linkSeriesM, timesS } = simulation.output().queues;
    const recorded = shown.map((_, e) =>
      Array.from(linkSeriesM!.subarray(e * timesS.length, e * timesS.length + minutes)),
    );
    expect(shown).toEqual(recorded);
    // The lot queue backs up over the arterial, so the comparison covers queues that join and discharge.
    expect(Math.max(...recorded.flat())).toBeGreaterThan(150);
  });
});
