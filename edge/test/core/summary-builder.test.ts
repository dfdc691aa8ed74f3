import {
  applyBayChanges,
  decodeBayChanges,
  decodeSyncRequest,
  encodeSyncRequest,
  resolveZoneChanges,
  type SiteSummary,
  unpackBayStates,
} from '@citybay/proto';
import { describe, expect, it } from 'vitest';
import { buildSiteLayout } from '../../src/core/site-layout.js';
import { SiteState } from '../../src/core/site-state.js';
import { SummaryBuilder } from '../../src/core/summary-builder.js';
import { mergeSummaries } from '../../src/core/summary-merge.js';
import { reading, smallSite } from '../support/site-fixtures.js';

function run(count: number, snapshotEvery = 5) {
  const layout = buildSiteLayout(smallSite());
  const state = new SiteState({ layout, debounceMs: 0, deviceStaleMs: 1e9 });
  const builder = new SummaryBuilder({
    siteId: 'hospital-north',
    edgeId: 'edge-01',
    configVersion: 'v1',
    softwareVersion: '0.1.0',
    bayCount: layout.bays.length,
    snapshotEvery,
    nextSeq: 1,
  });
  const summaries: SiteSummary[] = [];
  const truth: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    state.applyReading(
      reading('ctrl-1', 64, i * 1000, (b) => (b * 7 + i) % 3 === 0),
      i * 1000,
    );
    if (i % 2 === 0)
      state.applyReading(
        reading('ctrl-2', 64, i * 1000, (b) => (b + i) % 4 === 0),
        i * 1000,
      );
    summaries.push(
      builder.build({
        windowStartMs: 1_800_000_000_000 + i * 1000,
        windowEndMs: 1_800_000_000_000 + (i + 1) * 1000,
        bayStates: state.bayStates(),
        zones: state.zoneCounts(),
        gates: state.gateTotals(),
        devices: [],
        signs: [],
      }),
    );
    truth.push(state.bayStates().slice());
  }
  return { summaries, truth, layout };
}

/** Replays summaries the way central does; returns the bay states and zone counts after each. */
function replay(summaries: readonly SiteSummary[], bayCount: number) {
  let states: Uint8Array = new Uint8Array(bayCount);
  let zones: NonNullable<SiteSummary['zones']> = [];
  const after: Uint8Array[] = [];
  for (const s of summaries) {
    if (s.isSnapshot) {
      states = unpackBayStates(s.bays!.snapshot!, bayCount);
      zones = structuredClone(s.zones ?? []);
    } else {
      applyBayChanges(states, decodeBayChanges(s.bays?.changes ?? []));
      for (const change of resolveZoneChanges(s.zoneChanges ?? [], zones)) {
        const zone = zones.find((z) => z.lotId === change.lotId && z.zoneId === change.zoneId)!;
        const kind = zone.kinds!.find((k) => k.kind === change.kind)!;
        Object.assign(kind, { free: change.free, occupied: change.occupied, unknown: change.unknown });
      }
    }
    after.push(states.slice());
  }
  return { after, zones };
}

describe('SummaryBuilder', () => {
  it('starts with a snapshot, sends one at least every N, and change-only summaries replay to the truth', () => {
    const { summaries, truth, layout } = run(12, 5);
    expect(summaries.map((s) => s.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(summaries.map((s) => s.isSnapshot)).toEqual([
      true,
      false,
      false,
      false,
      false,
      true,
      false,
      false,
      false,
      false,
      true,
      false,
    ]);
    const { after } = replay(summaries, layout.bays.length);
    expect(after).toEqual(truth);
    // Every summary passes the wire validation.
    const decoded = decodeSyncRequest(encodeSyncRequest({ siteId: 'hospital-north', edgeId: 'edge-01', summaries }));
    expect(decoded.summaries).toHaveLength(12);
  });

  it('carries only the zone counts that changed in a change-only summary', () => {
    const { summaries } = run(3, 100);
    expect(summaries[0]!.zones!.length).toBe(3);
    expect(summaries[1]!.zones ?? []).toEqual([]);
    expect((summaries[1]!.zoneChanges ?? []).length % 5).toBe(0);
  });
});

describe('mergeSummaries', () => {
  it('merges change-only runs and runs with snapshots into one summary leading to the same state', () => {
    const { summaries, truth, layout } = run(14, 6);
    // Merge 2..5 (change-only) and 6..10 (contains the snapshot at seq 7).
    const merged = [
      summaries[0]!,
      mergeSummaries(summaries.slice(1, 5)),
      mergeSummaries(summaries.slice(5, 10)),
      ...summaries.slice(10),
    ];
    expect(merged.map((s) => [s.seq, s.compactedCount ?? 1, s.isSnapshot])).toEqual([
      [1, 1, true],
      [5, 4, false],
      [10, 5, true],
      [11, 1, false],
      [12, 1, false],
      [13, 1, true],
      [14, 1, false],
    ]);
    expect(merged[1]!.windowStartMs).toBe(summaries[1]!.windowStartMs);
    expect(merged[1]!.windowEndMs).toBe(summaries[4]!.windowEndMs);
    const full = replay(summaries, layout.bays.length);
    const compact = replay(merged, layout.bays.length);
    expect(compact.after.at(-1)).toEqual(truth.at(-1));
    expect(compact.after[2]).toEqual(truth[9]);
    expect(compact.zones).toEqual(full.zones);
    decodeSyncRequest(encodeSyncRequest({ siteId: 'hospital-north', edgeId: 'edge-01', summaries: merged }));
  });
});
