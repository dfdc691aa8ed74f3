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

  it('does not count seqs an edge merged (mergedFromSeq) as missing, and fills recorded gaps with them', () => {
    const site = sampleSite(500, 3);
    const a = planIngest(fresh, wire(site.syncRequest(1, 2, 2, T0)));
    // Seqs 3..9 were compacted into 10 by the edge's outbox: no gap, and nothing new to warn about.
    const merged = wire(site.syncRequest(10, 1, 2, T0 + 60_000));
    Object.assign(merged.summaries![0]!, { mergedFromSeq: 3, compactedCount: 8 });
    const b = planIngest(a.next, merged);
    expect(b.next.gaps).toEqual([]);
    expect(b.newGaps).toEqual([]);
    expect(b.next.ackedSeq).toBe(10);
    // A real gap is reported once, when it opens; a merged summary that covers it later closes it.
    const skipped = planIngest(b.next, wire(site.syncRequest(15, 1, 2, T0 + 90_000)));
    expect(skipped.newGaps).toEqual([[11, 14]]);
    expect(missingSeqsOf(skipped.next.gaps)).toEqual([11, 12, 13, 14]);
    const again = planIngest(skipped.next, wire(site.syncRequest(16, 1, 2, T0 + 95_000)));
    expect(again.newGaps).toEqual([]);
    expect(missingSeqsOf(again.next.gaps)).toEqual([11, 12, 13, 14]);
    const late = wire(site.syncRequest(14, 1, 2, T0 + 85_000));
    Object.assign(late.summaries![0]!, { mergedFromSeq: 12, compactedCount: 3 });
    const filled = planIngest(again.next, late);
    expect(filled.stored).toBe(1);
    expect(missingSeqsOf(filled.next.gaps)).toEqual([11]);
  });

  it('refuses a seq more than 2^32 past the highest held, naming the field, and stores nothing', () => {
    const site = sampleSite(500, 3);
    const a = planIngest(fresh, wire(site.syncRequest(1, 2, 2, T0)));
    const jump = wire(site.syncRequest(3, 2, 2, T0 + 10_000));
    jump.summaries![1]!.seq = 3 + 2 ** 32 + 1; // 2^32 + 1 past seq 3, just before it in the batch
    expect(() => planIngest(a.next, jump)).toThrow(
      expect.objectContaining({ code: 'CB_SYNC_SEQ_JUMP', path: 'summaries[1].seq' }),
    );
    jump.summaries![1]!.seq = 3 + 2 ** 32;
    expect(planIngest(a.next, jump).next.ackedSeq).toBe(3 + 2 ** 32);
  });
});
