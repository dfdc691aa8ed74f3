import { isCitybayError } from '@citybay/common';
import { describe, expect, it } from 'vitest';
import { sampleSite } from '../helpers/sample-site.js';
import { definition, expectCode, freshStore, ingest, site, T0, type StoreFactory } from './store-fixture.js';

/** Sync: storing batches (idempotent, in order, per edge), the state they leave, and retention. */
export function syncContract(name: string, factory: StoreFactory): void {
  describe(`sync: ${name}`, () => {
    const current = freshStore(factory);

    it('stores a batch, acknowledges its last seq, and changes nothing on replay', async () => {
      const store = current();
      const request = site.syncRequest(1, 10, 10, T0);
      const first = await ingest(store, request);
      expect(first).toMatchObject({ ackedSeq: 10, missingSeqs: [], stored: 10, duplicates: 0 });
      expect(first.directives.siteId).toBe(definition.id);
      const zones = await store.listZoneStates(definition.id);
      expect(zones).toHaveLength(8);
      const expected = site.zoneCounts(site.states);
      for (const zone of expected) {
        const stored = zones.find((z) => z.lotId === zone.lotId && z.zoneId === zone.zoneId)!;
        expect(stored.free).toBe(zone.kinds!.reduce((n, k) => n + (k.free ?? 0), 0));
        expect(stored.occupied).toBe(zone.kinds!.reduce((n, k) => n + (k.occupied ?? 0), 0));
      }
      const devicesBefore = await store.listDevices(definition.id);
      expect(devicesBefore).toHaveLength(8);
      expect(devicesBefore[0]).toMatchObject({ status: 'ok', edgeId: 'edge-01' });
      expect((await store.listSigns(definition.id))[0]?.lines[0]).toMatchObject({ label: 'P1', count: 23 });
      expect(await store.listGates(definition.id)).toEqual([
        expect.objectContaining({ lotId: 'P1', gateId: 'north', entriesTotal: 18_234 }),
      ]);
      const history = await store.listHistory({ siteId: definition.id, fromMs: 0, toMs: T0 * 2, limit: 1000 });
      expect(history.length).toBeGreaterThanOrEqual(8);
      expect(history.reduce((n, h) => n + h.samples, 0)).toBeGreaterThanOrEqual(10);
      expect(await store.listRawBatches('edge-01')).toEqual([[1, 10]]);

      const replay = await ingest(store, request, T0 + 120_000);
      expect(replay).toMatchObject({ ackedSeq: 10, stored: 0, duplicates: 10 });
      expect(await store.listZoneStates(definition.id)).toEqual(zones);
      expect(await store.listHistory({ siteId: definition.id, fromMs: 0, toMs: T0 * 2, limit: 1000 })).toEqual(history);
      expect(await store.listRawBatches('edge-01')).toEqual([[1, 10]]);
    });

    it('records gaps, reports them as missing, fills them, and never lets old windows overwrite new state', async () => {
      const store = current();
      await ingest(store, site.syncRequest(1, 10, 10, T0));
      const later = site.syncRequest(13, 2, 5, T0 + 200_000);
      const gapped = await ingest(store, later);
      expect(gapped).toMatchObject({ ackedSeq: 14, missingSeqs: [11, 12], stored: 2 });
      const zonesAfter = await store.listZoneStates(definition.id);
      const fill = site.syncRequest(11, 1, 0, T0 + 100_000);
      const filled = await ingest(store, fill);
      expect(filled).toMatchObject({ ackedSeq: 14, missingSeqs: [12], stored: 1 });
      expect(await store.listZoneStates(definition.id)).toEqual(zonesAfter);
      const status = (await store.listEdgeStatus(definition.id)).find((e) => e.edgeId === 'edge-01');
      expect(status).toMatchObject({ ackedSeq: 14, missingSeqCount: 1, secretCount: 1, configVersion: 'site-v12' });
    });

    it('refuses a batch for another site', async () => {
      const store = current();
      await store.addEdge(definition.id, 'edge-rot', '1'.repeat(64), T0);
      const other = sampleSite(100, 3, 'edge-01', 'other-site');
      await expectCode(ingest(store, other.syncRequest(1, 1)), 'CB_SYNC_FORBIDDEN');
      // Sent at the same moment, a refused batch does not take a good one down with it.
      const [good, bad] = await Promise.allSettled([
        ingest(store, sampleSite(500, 9, 'edge-rot').syncRequest(1, 2, 1, T0)),
        ingest(store, other.syncRequest(2, 1)),
      ]);
      expect(good).toMatchObject({ status: 'fulfilled', value: { ackedSeq: 2 } });
      expect(bad.status).toBe('rejected');
      expect(await store.listRawBatches('edge-rot')).toEqual([[1, 2]]);
    });

    it('acks many batches of several edges sent at once, each after its commit, in order per edge', async () => {
      const store = current();
      const edges = ['g1', 'g2', 'g3'];
      for (const edgeId of edges) await store.addEdge(definition.id, edgeId, 'c'.repeat(64), T0);
      const sites = edges.map((edgeId, i) => sampleSite(500, 20 + i, edgeId));
      const sent = sites.flatMap((s) =>
        [1, 11, 21, 31].map((first) => ingest(store, s.syncRequest(first, 10, 3, T0 + first * 5_000))),
      );
      const refused = ingest(store, sampleSite(100, 3, 'g1', 'other-site').syncRequest(41, 1)).then(
        () => undefined,
        (error: unknown) => error,
      );
      const results = await Promise.all(sent);
      expect(results.map((r) => r.ackedSeq)).toEqual([10, 20, 30, 40, 10, 20, 30, 40, 10, 20, 30, 40]);
      expect(isCitybayError(await refused, 'CB_SYNC_FORBIDDEN')).toBe(true);
      for (const edgeId of edges) {
        expect(await store.listRawBatches(edgeId)).toEqual([
          [1, 10],
          [11, 20],
          [21, 30],
          [31, 40],
        ]);
      }
    });

    it('prunes raw batches and history by age', async () => {
      const store = current();
      await ingest(store, site.syncRequest(1, 10, 10, T0));
      const pruned = await store.prune(T0 + 250_000, T0 + 150_000);
      expect(pruned.rawBatches).toBeGreaterThanOrEqual(1);
      expect(pruned.historyPoints).toBeGreaterThan(0);
      const history = await store.listHistory({ siteId: definition.id, fromMs: 0, toMs: T0 + 150_000, limit: 1000 });
      expect(history).toEqual([]);
    });
  });
}
