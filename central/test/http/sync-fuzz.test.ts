import { SeededRandom } from '@citybay/common';
import { decodeSyncRequest, encodeSyncRequest, messages, type SyncRequest } from '@citybay/proto';
import { describe, expect, it } from 'vitest';
import { sampleSite } from '../helpers/sample-site.js';
import { makeTestApp, T0 } from '../helpers/test-app.js';

const PAYLOADS = 10_000;

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

/** A structurally valid request with one field set to something hostile. */
function mutateFields(request: SyncRequest, random: SeededRandom): Uint8Array {
  const copy = messages.SyncRequest.toObject(messages.SyncRequest.fromObject(request), { arrays: true }) as SyncRequest;
  const summary = copy.summaries![random.int(0, copy.summaries!.length)]!;
  const hostile = [
    () => (summary.zones?.[0] ? (summary.zones[0].lotId = `P${random.int(0, 12)}`) : undefined),
    () => (summary.zones?.[0] ? (summary.zones[0].zoneId = String.fromCharCode(65 + random.int(0, 8))) : undefined),
    () => (summary.seq = random.int(0, 2) === 0 ? 0 : 2 ** 52 + random.int(0, 1000)),
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

describe('sync fuzz', () => {
  it(`survives ${PAYLOADS} random and mutated payloads: no 5xx, no partially stored batch`, async () => {
    const t = await makeTestApp({ bodyLimitBytes: 64 * 1024 });
    const random = new SeededRandom(20261122);
    const site = sampleSite(500, 5);
    const acceptedSeqs = new Set<number>();
    const statuses = new Map<number, number>();
    let nextSeq = 1;
    try {
      for (let i = 0; i < PAYLOADS; i++) {
        const valid = site.syncRequest(nextSeq, 1 + random.int(0, 4), 3, T0 + nextSeq * 5_000);
        nextSeq += valid.summaries!.length + random.int(0, 2);
        const kind = random.int(0, 10);
        const payload =
          kind === 0
            ? Uint8Array.from({ length: random.int(0, 600) }, () => random.int(0, 256))
            : kind <= 4
              ? mutateBytes(encodeSyncRequest(valid), random)
              : kind <= 8
                ? mutateFields(valid, random)
                : encodeSyncRequest(valid);
        const res = await t.app.inject({
          method: 'POST',
          url: '/v1/sync',
          headers: { 'content-type': 'application/x-protobuf', authorization: t.auth },
          payload: Buffer.from(payload),
        });
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode >= 500) throw new Error(`payload ${i} got ${res.statusCode}: ${res.body}`);
        if (res.statusCode === 200) {
          for (const s of decodeSyncRequest(payload).summaries ?? []) acceptedSeqs.add(s.seq ?? 0);
        } else {
          expect(res.json().code, res.body).toMatch(/^CB_[A-Z]+_[A-Z_]+$/);
        }
      }
      // Every stored seq came from an accepted request; nothing of a refused one was kept.
      for (const [first, last] of await t.store.listRawBatches('edge-01')) {
        expect(acceptedSeqs.has(first) && acceptedSeqs.has(last), `${first}..${last}`).toBe(true);
      }
      const known = new Set(['P1/A', 'P1/B', 'P1/C', 'P1/D', 'P2/A', 'P2/B', 'P2/C', 'P2/D']);
      for (const zone of await t.store.listZoneStates('hospital-north')) {
        expect(known.has(`${zone.lotId}/${zone.zoneId}`), `${zone.lotId}/${zone.zoneId}`).toBe(true);
      }
      expect(await t.store.listZoneStates('other-site')).toEqual([]);
      expect(statuses.get(200)).toBeGreaterThan(1_000);
      expect(statuses.get(400)).toBeGreaterThan(1_000);
    } finally {
      await t.close();
    }
  }, 120_000);
});
