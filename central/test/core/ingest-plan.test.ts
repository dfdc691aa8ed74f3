import { decodeSyncRequest, encodeSyncRequest } from '@citybay/proto';
import { describe, expect, it } from 'vitest';
import { gapSeqCount, missingSeqsOf, planIngest } from '../../src/core/ingest-plan.js';
import type { EdgeSyncState } from '../../src/store/store.js';
import { sampleSite } from '../helpers/sample-site.js';

const T0 = 1_795_000_000_000;
const fresh: EdgeSyncState = {
  ackedSeq: 0,
  gaps: [],
  bayStates: null,
  baysSeq: 0,
  directivesVersionSent: 0,
  zoneTable: null,
  zonesSeq: 0,
};
// Through the real codec, as central receives them.
const wire = (request: ReturnType<ReturnType<typeof sampleSite>['syncRequest']>) =>
  decodeSyncRequest(encodeSyncRequest(request));

describe('planIngest', () => {
  it('follows bay states from a snapshot through change-only summaries', () => {
    const site = sampleSite(500, 3);
    const plan = planIngest(fresh, wire(site.syncRequest(1, 10, 12, T0)));
    expect(plan.next.bayStates).toEqual(site.states);
    expect(plan.next.baysSeq).toBe(10);
    expect(plan.stored).toBe(10);
    expect(plan.storedSeqRange).toEqual([1, 10]);
  });

  it('keeps bay states at the last unbroken seq after a gap, until the next snapshot', () => {
    const site = sampleSite(500, 3);
    const first = planIngest(fresh, wire(site.syncRequest(1, 3, 5, T0)));
    const request = wire(site.syncRequest(4, 3, 5, T0 + 15_000));
    request.summaries = request.summaries!.slice(1); // seq 4 (a snapshot) is lost
    const second = planIngest(first.next, request);
    expect(second.next.baysSeq).toBe(3);
    expect(second.next.gaps).toEqual([[4, 4]]);
    expect(second.next.ackedSeq).toBe(6);
  });

  it('applies zone changes on top of the last snapshot and reports full zone counts', () => {
    const site = sampleSite(500, 3);
    const plan = planIngest(fresh, wire(site.syncRequest(1, 10, 12, T0)));
    const expected = site.zoneCounts(site.states);
    for (const zone of expected) {
      const state = plan.zoneStates.find((z) => z.lotId === zone.lotId && z.zoneId === zone.zoneId)!;
      for (const kind of zone.kinds!) {
        const name = { 1: 'standard', 2: 'accessible', 3: 'family', 4: 'ev' }[kind.kind as 1 | 2 | 3 | 4];
        expect(state.kinds[name]).toEqual({ free: kind.free, occupied: kind.occupied, unknown: kind.unknown });
      }
    }
  });

  it('treats replays as duplicates and fills gaps without touching newer state', () => {
    const site = sampleSite(500, 3);
    const a = planIngest(fresh, wire(site.syncRequest(1, 2, 2, T0)));
    const b = planIngest(a.next, wire(site.syncRequest(5, 2, 2, T0 + 40_000)));
    expect(missingSeqsOf(b.next.gaps)).toEqual([3, 4]);
    const replay = planIngest(b.next, wire(site.syncRequest(5, 2, 2, T0 + 40_000)));
    expect(replay).toMatchObject({ stored: 0, duplicates: 2, storedSeqRange: undefined });
    const late = wire(site.syncRequest(3, 2, 2, T0 + 10_000));
    late.summaries = late.summaries!.slice(1);
    const filled = planIngest(b.next, late);
    expect(filled.stored).toBe(1);
    expect(missingSeqsOf(filled.next.gaps)).toEqual([3]);
    expect(filled.zoneStates).toEqual([]);
    expect(
      gapSeqCount([
        [3, 3],
        [7, 9],
      ]),
    ).toBe(4);
  });
});
