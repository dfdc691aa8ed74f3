import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SEQ_LIMIT } from '@citybay/proto';
import { SqliteOutbox } from '../../../src/io/outbox/outbox-sqlite.js';
import { sampleSummaries } from '../../support/sample-summaries.js';
import { tempDir } from '../../support/temp-dir.js';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

describe('SqliteOutbox', () => {
  it('appends in seq order, peeks oldest first, deletes only what was acknowledged', () => {
    const outbox = new SqliteOutbox({ path: join(dir.path, 'o.db') });
    for (const s of sampleSummaries(1, 20)) outbox.append(s);
    expect(outbox.lastSeq()).toBe(20);
    expect(outbox.peek(5).map((s) => s.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(outbox.ack(7)).toBe(7);
    expect(outbox.ack(3)).toBe(0);
    expect(outbox.peek(100).map((s) => s.seq)).toEqual([8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    expect(outbox.stats()).toMatchObject({ depth: 13, lastSeq: 20, ackedSeq: 7, compactions: 0 });
    outbox.close();
  });

  it('refuses a seq that does not follow the last one', () => {
    const outbox = new SqliteOutbox({ path: join(dir.path, 'o.db') });
    outbox.append(sampleSummaries(1, 1)[0]!);
    expect(() => outbox.append(sampleSummaries(3, 1)[0]!)).toThrowError(
      expect.objectContaining({ code: 'CB_OUTBOX_SEQ' }),
    );
    outbox.close();
  });

  it('survives a reopen: last seq, acked seq, waiting summaries and state', () => {
    const path = join(dir.path, 'o.db');
    const a = new SqliteOutbox({ path });
    const summaries = sampleSummaries(1, 10);
    for (const s of summaries) a.append(s);
    a.ack(4);
    a.setState('directives', 'abc');
    a.close();
    const b = new SqliteOutbox({ path });
    expect([b.lastSeq(), b.ackedSeq()]).toEqual([10, 4]);
    expect(b.peek(100).map((s) => s.seq)).toEqual(summaries.slice(4).map((s) => s.seq));
    expect(b.peek(1)[0]!.bays).toEqual(summaries[4]!.bays);
    expect(b.getState('directives')).toBe('abc');
    // Emptied by acks, it still continues the numbering.
    b.ack(10);
    b.close();
    expect(new SqliteOutbox({ path }).lastSeq()).toBe(10);
  });

  it('when full, compacts the oldest summaries into coarser ones and reports it; nothing is silently dropped', () => {
    const outbox = new SqliteOutbox({ path: join(dir.path, 'o.db'), maxSummaries: 100, compactFactor: 10 });
    const reports = [];
    for (const s of sampleSummaries(1, 150, 64, 40)) {
      const report = outbox.append(s);
      if (report) reports.push(report);
    }
    expect(reports.length).toBeGreaterThan(0);
    expect(reports[0]).toMatchObject({ firstSeq: 1 });
    const waiting = outbox.peek(1000);
    expect(waiting.length).toBeLessThanOrEqual(101);
    // Every seq 1..150 is covered exactly once: a compacted summary stands for compactedCount seqs ending at its seq.
    let covered = 0;
    for (const s of waiting) {
      expect(s.seq).toBe(covered + (s.compactedCount || 1));
      // ...and says so on the wire: the seqs it stands for start at mergedFromSeq.
      if ((s.compactedCount ?? 1) > 1) expect(s.mergedFromSeq).toBe(covered + 1);
      covered = s.seq!;
    }
    expect(covered).toBe(150);
    expect(outbox.stats().compactions).toBe(reports.length);
    outbox.close();
  });

  it('never numbers a summary at or past the wire bound 2^48, appending or renumbering', () => {
    const outbox = new SqliteOutbox({ path: join(dir.path, 'o.db') });
    for (const s of sampleSummaries(1, 10)) outbox.append(s);
    const limit = expect.objectContaining({ code: 'CB_OUTBOX_SEQ_LIMIT' });
    expect(() => outbox.renumberAfter(SEQ_LIMIT - 10)).toThrowError(limit);
    expect(() => outbox.renumberAfter(Number.MAX_SAFE_INTEGER)).toThrowError(limit);
    // Nothing changed by the refusals.
    expect(outbox.peek(100).map((s) => s.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(outbox.renumberAfter(SEQ_LIMIT - 11)).toBe(SEQ_LIMIT - 1);
    expect(outbox.peek(1)[0]!.seq).toBe(SEQ_LIMIT - 10);
    const next = { ...sampleSummaries(1, 1)[0]!, seq: SEQ_LIMIT };
    expect(() => outbox.append(next)).toThrowError(limit);
    outbox.close();
  });
});
