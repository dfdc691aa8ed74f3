import { describe, expect, it } from 'vitest';
import { definition, expectCode, freshStore, T0, type StoreFactory } from './store-fixture.js';

/** Sites and edges: definitions, their config version in the directives, edges and secret rotation. */
export function sitesAndEdgesContract(name: string, factory: StoreFactory): void {
  describe(`sites and edges: ${name}`, () => {
    const current = freshStore(factory);

    it('migrates once and answers pings', async () => {
      const store = current();
      expect(await store.migrate()).toEqual([]);
      expect(await store.ping()).toBe(true);
    });

    it('keeps site definitions and puts their config version into the directives', async () => {
      const store = current();
      expect(await store.getSite(definition.id)).toEqual(definition);
      expect((await store.listSites()).map((s) => s.id)).toEqual([definition.id]);
      expect(await store.getSite('nowhere')).toBeUndefined();
      expect((await store.getDirectives(definition.id)).configVersion).toBe('site-v12');
      expect(await store.listSiteVersions()).toEqual([{ siteId: definition.id, updatedMs: T0 }]);
    });

    it('adds edges once, only to known sites, and keeps at most two secrets while rotating', async () => {
      const store = current();
      await expectCode(store.addEdge(definition.id, 'edge-01', 'b'.repeat(64), T0), 'CB_EDGE_EXISTS');
      await expectCode(store.addEdge('nowhere', 'edge-x', 'b'.repeat(64), T0), 'CB_SITE_UNKNOWN');
      await store.addEdge(definition.id, 'edge-rot', '1'.repeat(64), T0);
      await store.addEdgeSecret('edge-rot', '2'.repeat(64), T0 + 1);
      expect((await store.getEdge('edge-rot'))?.secretHashes).toEqual(['2'.repeat(64), '1'.repeat(64)]);
      await store.addEdgeSecret('edge-rot', '3'.repeat(64), T0 + 2);
      expect((await store.getEdge('edge-rot'))?.secretHashes).toEqual(['3'.repeat(64), '2'.repeat(64)]);
      await store.dropOldEdgeSecrets('edge-rot');
      const edge = await store.getEdge('edge-rot');
      expect(edge).toMatchObject({ siteId: definition.id, secretHashes: ['3'.repeat(64)] });
      await expectCode(store.addEdgeSecret('nobody', '4'.repeat(64), T0), 'CB_EDGE_UNKNOWN');
      expect(await store.getEdge('nobody')).toBeUndefined();
    });
  });
}
