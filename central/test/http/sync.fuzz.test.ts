/**
 * Fuzz of the sync protobuf body at `POST /v1/sync`: realistic batches from `SampleSite`, mutated byte by
 * byte and field by field (seqs at and past the contract's bounds, merged ranges, unknown zones, huge bay
 * counts, bad enums), and random bytes. Every answer is a 200 or a coded 4xx; a refused batch stores
 * nothing; no call computes longer than the event-loop budget; the heap stays bounded.
 */
import { SeededRandom } from '@citybay/common';
import { FUZZ_RUNS, FUZZ_TIMEOUT_MS, MAX_CALL_CPU_MS, watchFuzz } from '@citybay/common/testing';
import { decodeSyncRequest, encodeSyncRequest, messages, SEQ_LIMIT, type SyncRequest } from '@citybay/proto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sampleSite } from '../helpers/sample-site.js';
import { makeTestApp, T0 } from '../helpers/test-app.js';

function mutateBytes(bytes: Uint8Array, random: SeededRandom): Uint8Array {
  const out = Array.from(bytes);
  const operations = 1 + random.int(0, 4);
  for (let i = 0; i < operations; i++) {
    const at = random.int(0, Math.max(1, out.length));
    switch (random.int(0, 5)) {
      case 0:
        out[at] = (out[at] ?? 0) ^ (1 << random.int(0, 8));
        break;
      case 1:
        out.splice(at, random.int(1, 8));
        break;
      case 2:
        out.splice(at, 0, ...Array.from({ length: random.int(1, 8) }, () => random.int(0, 256)));
        break;
      case 3:
        out.length = Math.max(0, at);
        break;
      default:
        out[at] = random.int(0, 256);
    }
  }
  return Uint8Array.from(out);
}

const HOSTILE_SEQS = [0, 1, SEQ_LIMIT - 1, SEQ_LIMIT, 2 ** 53 - 1, 2 ** 64 - 1];

/** A structurally valid request with one field set to something hostile, encoded without validation. */
function mutateFields(request: SyncRequest, random: SeededRandom, ackedSeq: number): Uint8Array {
  const copy = messages.SyncRequest.toObject(messages.SyncRequest.fromObject(request), { arrays: true }) as SyncRequest;
  const summary = copy.summaries![random.int(0, copy.summaries!.length)]!;
  const hostile = [
    () => (summary.zones?.[0] ? (summary.zones[0].lotId = `P${random.int(0, 12)}`) : undefined),
    () => (summary.zones?.[0] ? (summary.zones[0].zoneId = String.fromCharCode(65 + random.int(0, 8))) : undefined),
    () => (summary.seq = HOSTILE_SEQS[random.int(0, HOSTILE_SEQS.length)]!),
    () => (summary.seq = ackedSeq + 2 ** 32 + random.int(-2, 3)),
    () =>
      (summary.mergedFromSeq = [0, 1, summary.seq! - 1, summary.seq!, summary.seq! + 1, SEQ_LIMIT][random.int(0, 6)]!),
    () => (summary.windowEndMs = 1),
    () => (copy.siteId = random.int(0, 2) === 0 ? 'other-site' : 'x'.repeat(80)),
    () => (copy.edgeId = 'edge-02'),
    () => (summary.bays = { bayCount: random.int(0, 200_000), changes: [random.int(0, 2 ** 30)] }),
    () => (summary.zoneChanges = Array.from({ length: random.int(1, 12) }, () => random.int(0, 40))),
    () => (summary.devices = [{ deviceId: '', status: random.int(0, 9) }]),
    () => (summary.signs = [{ signId: 'vms', lines: [{ arrow: random.int(0, 12), mode: random.int(0, 9) }] }]),
    () => (summary.gates = [{ lotId: `Q${random.int(0, 3)}`, gateId: 'g' }]),
  ];
  hostile[random.int(0, hostile.length)]!();
  return messages.SyncRequest.encode(copy).finish();
}

describe('sync body fuzz (POST /v1/sync)', () => {
  it(
    `${FUZZ_RUNS} mutated and random bodies: a 200 or a coded 4xx, nothing of a refused one stored, bounded`,
    async () => {
      const t = await makeTestApp({ bodyLimitBytes: 64 * 1024 });
      const site = sampleSite(500, 5);
      const acceptedSeqs = new Set<number>();
      const statuses = new Map<number, number>();
      let nextSeq = 1;
      let ackedSeq = 0;
      const watch = watchFuzz();
      const post = (payload: Uint8Array) =>
        t.app.inject({
          method: 'POST',
          url: '/v1/sync',
          headers: { 'content-type': 'application/x-protobuf', authorization: t.auth },
          payload: Buffer.from(payload),
        });
      try {
        await fc.assert(
          fc.asyncProperty(
            fc.integer({ min: 1, max: 2 ** 31 - 1 }),
            fc.integer({ min: 0, max: 9 }),
            async (seed, kind) => {
              const random = new SeededRandom(seed);
              const valid = site.syncRequest(nextSeq, 1 + random.int(0, 4), 3, T0 + nextSeq * 5_000);
              nextSeq += valid.summaries!.length + random.int(0, 2);
              const payload =
                kind === 0
                  ? Uint8Array.from({ length: random.int(0, 600) }, () => random.int(0, 256))
                  : kind <= 3
                    ? mutateBytes(encodeSyncRequest(valid), random)
                    : kind <= 7
                      ? mutateFields(valid, random, ackedSeq)
                      : encodeSyncRequest(valid);
              const batchesBefore = (await t.store.listRawBatches('edge-01')).length;
              const zonesBefore = JSON.stringify(await t.store.listZoneStates('hospital-north'));
              const res = await watch.call(() => post(payload));
              statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
              expect(res.statusCode, res.body).toBeLessThan(500);
              if (res.statusCode === 200) {
                for (const s of decodeSyncRequest(payload).summaries ?? []) acceptedSeqs.add(s.seq ?? 0);
                ackedSeq = Math.max(ackedSeq, ...(decodeSyncRequest(payload).summaries ?? []).map((s) => s.seq ?? 0));
                return;
              }
              expect(res.json().code, res.body).toMatch(/^CB_[A-Z]+_[A-Z_]+$/);
              // Nothing of a refused request is stored.
              expect((await t.store.listRawBatches('edge-01')).length).toBe(batchesBefore);
              expect(JSON.stringify(await t.store.listZoneStates('hospital-north'))).toBe(zonesBefore);
            },
          ),
          { numRuns: FUZZ_RUNS, seed: 20261122 },
        );
        const report = watch.finish();
        for (const [first, last] of await t.store.listRawBatches('edge-01')) {
          expect(acceptedSeqs.has(first) && acceptedSeqs.has(last), `${first}..${last}`).toBe(true);
        }
        expect(await t.store.listZoneStates('other-site')).toEqual([]);
        expect(statuses.get(200)).toBeGreaterThan(FUZZ_RUNS / 10);
        expect(statuses.get(400)).toBeGreaterThan(FUZZ_RUNS / 10);
        expect(report.maxCallCpuMs).toBeLessThan(MAX_CALL_CPU_MS);
        // Stored summaries and history grow with accepted batches (about 500 B each); nothing else may.
        expect(report.heapGrowthBytes).toBeLessThan(32 * 1024 * 1024);
      } finally {
        await t.close();
      }
    },
    FUZZ_TIMEOUT_MS,
  );
});
