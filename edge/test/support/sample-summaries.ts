import type { SiteSummary } from '@citybay/proto';
import { SampleSite } from '@citybay/proto/testing';

/** `count` realistic summaries from seq `firstSeq` (a snapshot every `snapshotEvery`). */
export function sampleSummaries(firstSeq: number, count: number, bayCount = 256, snapshotEvery = 60): SiteSummary[] {
  const site = new SampleSite({ bayCount, seed: firstSeq });
  const out: SiteSummary[] = [];
  for (let i = 0; i < count; i++) {
    const seq = firstSeq + i;
    const startMs = 1_800_000_000_000 + seq * 1000;
    const summary = i % snapshotEvery === 0 ? site.snapshot(seq, startMs) : site.changeOnly(seq, startMs, 3);
    out.push({ ...summary, configVersion: 'site-v12' });
  }
  return out;
}
