import { describe, expect, it } from 'vitest';
import { networkTables } from '../../src/traffic/network-tables.js';
import { QueueCreep } from '../../src/traffic/queue-creep.js';
import { DEFAULT_TRAFFIC_PARAMS } from '../../src/traffic/traffic-params.js';
import { corridorNetwork } from '../fixtures/corridor.js';

const params = { ...DEFAULT_TRAFFIC_PARAMS };

/** A fresh QueueCreep on the corridor's 200 m, 2-lane links (lane 0: the first link's right lane). */
function creep(): QueueCreep {
  const { graph, layout } = networkTables(corridorNetwork(5, 200), params);
  return new QueueCreep(layout, graph, params);
}

describe('QueueCreep (room a queued car takes: Krauss minGap + v · τ / (1 − σ/2) where the queue creeps)', () => {
  it('spaces a queue served every 10 s at 7.5 / (1 − 1.333 / 10) m and holds fewer cars', () => {
    const lanes = creep();
    expect(lanes.spacingM[0]).toBe(7.5);
    expect(lanes.storage[0]).toBe(27);
    lanes.noteHeld(0, 7);
    lanes.noteDeparture(7, 0, 1010, 1000);
    expect(lanes.spacingM[0]).toBeCloseTo(7.5 / (1 - 1 / 0.75 / 10), 9);
    // Every car whose front is on the lane, as SUMO stands them: 1 + floor(199 / 8.65).
    expect(lanes.storage[0]).toBe(23);
  });

  it('stands at the jam spacing when the leaving car did not wait for a server, or the queue moves faster than 5 km/h', () => {
    const lanes = creep();
    lanes.noteHeld(0, 7);
    lanes.noteDeparture(7, 0, 1010, 1000);
    // The next car leaves without having waited (a red hold, a gap, or none): the queue stands again.
    lanes.noteDeparture(8, 0, 1020, 1010);
    expect(lanes.spacingM[0]).toBe(7.5);
    expect(lanes.storage[0]).toBe(27);
    // Served every 4 s the queue would move at 7.5 / (4 − 1.333) · 1 = 2.8 m/s: stop-and-go, not a creep.
    lanes.noteHeld(0, 9);
    lanes.noteDeparture(9, 0, 1024, 1020);
    expect(lanes.spacingM[0]).toBe(7.5);
    // Every 7 s it creeps at 1.32 m/s, just below 5 km/h.
    lanes.noteHeld(0, 10);
    lanes.noteDeparture(10, 0, 1031, 1024);
    expect(lanes.spacingM[0]).toBeGreaterThan(9);
    // Another lane is not touched.
    expect(lanes.spacingM[1]).toBe(7.5);
  });
});
