import { AreaStatus } from '@citybay/proto';
import { describe, expect, it } from 'vitest';
import { definition, expectCode, freshStore, ingest, site, T0, type StoreFactory } from './store-fixture.js';

/** Directives: versions, overrides and reservations, sent with the acknowledgement and logged once per edge. */
export function directivesContract(name: string, factory: StoreFactory): void {
  describe(`directives: ${name}`, () => {
    const current = freshStore(factory);

    it('versions directives, returns them with the ack and logs each version sent to an edge once', async () => {
      const store = current();
      await ingest(store, site.syncRequest(1, 14, 10, T0));
      const before = await store.getDirectives(definition.id);
      const after = await store.putLotOverride(
        definition.id,
        {
          lotId: 'P2',
          status: AreaStatus.AREA_STATUS_OPEN,
          validFromMs: T0,
          validUntilMs: 0,
          reason: 'shared lot open',
        },
        T0 + 1,
      );
      expect(after.version).toBe(Number(before.version) + 1);
      expect(after.lotOverrides).toEqual([
        expect.objectContaining({ lotId: 'P2', zoneId: '', reason: 'shared lot open' }),
      ]);
      await store.putSignOverride(
        definition.id,
        { signId: 'vms-north', lines: [{ label: 'P2', mode: 4, text: 'HOSPITAL' }], expiresMs: T0 + 3_600_000 },
        T0 + 2,
      );
      const withRes = await store.updateReservations(
        definition.id,
        [{ reservationId: 'r1', lotId: 'P1', zoneId: 'A', kind: 2, validFromMs: T0, validUntilMs: T0 + 3_600_000 }],
        [],
        T0 + 3,
      );
      expect(withRes.version).toBe(Number(before.version) + 3);
      const acked = await ingest(store, site.syncRequest(15, 1, 1, T0 + 300_000), T0 + 300_000);
      expect(acked.directives).toMatchObject({ version: withRes.version, configVersion: 'site-v12' });
      expect(acked.directives.reservations).toHaveLength(1);
      expect(acked.directives.signOverrides).toHaveLength(1);
      await ingest(store, site.syncRequest(16, 1, 1, T0 + 305_000), T0 + 305_000);
      const log = await store.listDirectivesLog(definition.id, 10);
      expect(log.filter((l) => l.version === withRes.version)).toHaveLength(1);
      // Expired items stay stored but are not sent.
      const expired = await ingest(store, site.syncRequest(17, 1, 1, T0 + 4_000_000), T0 + 4_000_000);
      expect(expired.directives.reservations).toEqual([]);
      expect(expired.directives.signOverrides).toEqual([]);
      expect(expired.directives.lotOverrides).toHaveLength(1);
      const removed = await store.removeLotOverride(definition.id, 'P2', '', T0 + 5);
      expect(removed.lotOverrides).toEqual([]);
      expect((await store.updateReservations(definition.id, [], ['r1'], T0 + 6)).reservations).toEqual([]);
      expect((await store.removeSignOverride(definition.id, 'vms-north', T0 + 7)).signOverrides).toEqual([]);
      await expectCode(store.putLotOverride('nowhere', { lotId: 'P1', status: 2 }, T0), 'CB_SITE_UNKNOWN');
    });
  });
}
