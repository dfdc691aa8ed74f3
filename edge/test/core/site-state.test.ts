import { BAY_KIND_BY_NAME } from '@citybay/proto';
import { describe, expect, it } from 'vitest';
import { buildSiteLayout } from '../../src/core/site-layout.js';
import { SiteState } from '../../src/core/site-state.js';
import { counterReading, reading, smallSite } from '../support/site-fixtures.js';

const PUBLIC = new Set([BAY_KIND_BY_NAME.standard, BAY_KIND_BY_NAME.family]);

function newState(debounceMs = 1000) {
  return new SiteState({ layout: buildSiteLayout(smallSite()), debounceMs, deviceStaleMs: 5000 });
}

describe('SiteState', () => {
  it('numbers bays by their position in the site file and expands ranges', () => {
    const layout = buildSiteLayout(smallSite());
    expect(layout.bays.map((b) => b.id).slice(0, 3)).toEqual(['A01', 'A02', 'A03']);
    expect(layout.bays[8]).toMatchObject({ id: 'B1', zoneId: 'B', deviceId: 'ctrl-2', deviceBay: 0 });
    expect(layout.bays[14]).toMatchObject({ id: 'BX1', kind: BAY_KIND_BY_NAME.accessible, deviceBay: 6 });
  });

  it('starts with every bay unknown and never counts unknown bays as free', () => {
    const state = newState();
    const area = state.areaCount('P1', undefined, PUBLIC);
    expect(area).toMatchObject({ free: 0, occupied: 0, unknown: 14, total: 14 });
    state.applyReading(
      reading('ctrl-1', 64, 1000, (i) => i < 3),
      1000,
    );
    expect(state.areaCount('P1', 'A', PUBLIC)).toMatchObject({ free: 5, occupied: 3, unknown: 0 });
    expect(state.areaCount('P1', undefined, PUBLIC)).toMatchObject({ free: 5, occupied: 3, unknown: 6 });
  });

  it('debounces free ↔ occupied flips until the reading was stable for debounceMs', () => {
    const state = newState(1000);
    state.applyReading(
      reading('ctrl-1', 64, 0, () => false),
      0,
    );
    state.applyReading(
      reading('ctrl-1', 64, 100, (i) => i === 0),
      100,
    );
    expect(state.bayStates()[0]).toBe(1);
    state.applyReading(
      reading('ctrl-1', 64, 600, () => false),
      600,
    );
    state.applyReading(
      reading('ctrl-1', 64, 700, (i) => i === 0),
      700,
    );
    state.tick(1600);
    expect(state.bayStates()[0]).toBe(1);
    state.tick(1700);
    expect(state.bayStates()[0]).toBe(2);
  });

  it("makes a device's bays unknown at once on a fault, and after deviceStaleMs of silence", () => {
    const state = newState(1000);
    state.applyReading(
      reading('ctrl-1', 64, 0, () => false),
      0,
    );
    state.applyReading(
      reading('ctrl-2', 64, 0, () => false),
      0,
    );
    const faulty = reading('ctrl-1', 64, 100, () => false);
    faulty.bays[2] = { bay: 2, state: 'unknown', reason: 'fault' };
    state.applyReading(faulty, 100);
    expect(state.bayStates()[2]).toBe(0);
    expect(state.unknownReason(2)).toBe('fault');
    state.applyReading(
      reading('ctrl-1', 64, 4000, () => false),
      4000,
    );
    state.tick(5001);
    expect(state.areaCount('P1', 'B', PUBLIC).unknown).toBe(6);
    expect(state.unknownReason(8)).toBe('stale');
    expect(state.areaCount('P1', 'A', PUBLIC).unknown).toBe(0);
    expect(state.deviceStatuses().find((d) => d.deviceId === 'ctrl-2')?.health).toBe('offline');
  });

  it('counts a gate-counted lot from entry/exit deltas, clamped to capacity, and recovers from a counter reset', () => {
    const state = newState();
    const kinds = PUBLIC;
    expect(state.areaCount('P2', undefined, kinds).isStale).toBe(true);
    state.applyReading(counterReading('gate-1', 0, 5000, 4000), 0);
    expect(state.areaCount('P2', undefined, kinds)).toMatchObject({ free: 100, occupied: 0, isStale: false });
    state.applyReading(counterReading('gate-1', 1000, 5030, 4010), 1000);
    expect(state.areaCount('P2', undefined, kinds)).toMatchObject({ free: 80, occupied: 20 });
    state.applyReading(counterReading('gate-1', 2000, 5300, 4010), 2000);
    expect(state.areaCount('P2', undefined, kinds).occupied).toBe(100);
    state.applyReading(counterReading('gate-1', 3000, 5300, 5), 3000);
    expect(state.areaCount('P2', undefined, kinds).occupied).toBe(95);
    expect(state.gateTotals()).toEqual([{ lotId: 'P2', gateId: 'main', entriesTotal: 5300, exitsTotal: 4015 }]);
    expect(state.setLotOccupancy('P2', 40, 4000)).toBe(true);
    expect(state.areaCount('P2', undefined, kinds).free).toBe(60);
    expect(state.setLotOccupancy('P1', 40, 4000)).toBe(false);
  });

  it('makes the gate count stale when the counter device goes silent', () => {
    const state = newState();
    state.applyReading(counterReading('gate-1', 0, 10, 0), 0);
    state.tick(4000);
    expect(state.areaCount('P2', undefined, PUBLIC).isStale).toBe(false);
    state.tick(5001);
    expect(state.areaCount('P2', undefined, PUBLIC)).toMatchObject({ isStale: true, free: 0 });
  });

  it('recalibrates a gate-counted lot from its bay sensors when they see at least half of it', () => {
    const file = smallSite();
    file.lots[1]!.gateCounting!.capacity = 10;
    file.lots[1]!.zones = [{ id: 'S', bays: [{ prefix: 'S', count: 8, device: 'ctrl-2', deviceBay: 8 }] }];
    const state = new SiteState({ layout: buildSiteLayout(file), debounceMs: 0, deviceStaleMs: 5000 });
    state.applyReading(counterReading('gate-1', 0, 0, 0), 0);
    state.applyReading(
      reading('ctrl-2', 64, 0, (i) => i >= 8 && i < 12),
      0,
    );
    // 4 of 8 sensed bays occupied → 5 of 10.
    expect(state.areaCount('P2', undefined, PUBLIC).occupied).toBe(5);
  });
});

describe('SiteState device freshness', () => {
  it('stops trusting the values a poller still reports once the device had no good read for two poll cycles', () => {
    const layout = buildSiteLayout(smallSite());
    const state = new SiteState({
      layout,
      debounceMs: 0,
      deviceStaleMs: 10_000,
      deviceStaleMsById: new Map([['ctrl-1', 2000]]),
    });
    state.applyReading(
      reading('ctrl-1', 64, 0, () => false),
      0,
    );
    const stillReporting = reading('ctrl-1', 64, 2500, () => false);
    stillReporting.points.bays = { value: null, lastGoodMs: 0, isStale: false, lastErrorCode: 'CB_MODBUS_TIMEOUT' };
    state.applyReading(stillReporting, 2500);
    expect(state.areaCount('P1', 'A', PUBLIC)).toMatchObject({ free: 0, unknown: 8 });
    expect(state.unknownReason(0)).toBe('stale');
    state.applyReading(
      reading('ctrl-1', 64, 3000, () => false),
      3000,
    );
    expect(state.areaCount('P1', 'A', PUBLIC)).toMatchObject({ free: 8, unknown: 0 });
  });

  it('names the moment the next device goes stale, and a tick at that moment turns its bays unknown', () => {
    const state = new SiteState({
      layout: buildSiteLayout(smallSite()),
      debounceMs: 0,
      deviceStaleMs: 5000,
      deviceStaleMsById: new Map([
        ['ctrl-1', 2000],
        ['ctrl-2', 3000],
      ]),
    });
    expect(state.nextStaleAtMs(0)).toBeNull();
    state.applyReading(
      reading('ctrl-1', 64, 1000, () => false),
      1000,
    );
    state.applyReading(
      reading('ctrl-2', 64, 1500, () => false),
      1500,
    );
    expect(state.nextStaleAtMs(1500)).toBe(3000);
    state.tick(2999);
    expect(state.areaCount('P1', 'A', PUBLIC).unknown).toBe(0);
    state.tick(3000);
    expect(state.areaCount('P1', 'A', PUBLIC).unknown).toBe(8);
    expect(state.nextStaleAtMs(3000)).toBe(4500);
  });
});
