import { describe, expect, it } from 'vitest';
import { freshStore, type StoreFactory } from './store-fixture.js';

/** Drivers' links: one lasting token per appointment of a site-day. */
export function driverLinksContract(name: string, factory: StoreFactory): void {
  describe(`driver links: ${name}`, () => {
    const current = freshStore(factory);
    it('makes one token per appointment of a site-day, keeps it, and opens nothing else with it', async () => {
      const store = current();
      let n = 0;
      const make = () => `tok-${name}-${++n}`;
      const first = await store.ensureDriverLinks('s1', 1000, ['a', 'b'], make, 5);
      expect([...first.keys()].sort()).toEqual(['a', 'b']);
      const again = await store.ensureDriverLinks('s1', 1000, ['b', 'c'], make, 6);
      expect(again.get('b')).toBe(first.get('b'));
      expect(again.get('c')).toBeDefined();
      expect(new Set([first.get('a'), first.get('b'), again.get('c')]).size).toBe(3);
      // Another day or site: another token for the same appointment id.
      const otherDay = await store.ensureDriverLinks('s1', 2000, ['a'], make, 7);
      expect(otherDay.get('a')).not.toBe(first.get('a'));
      expect(await store.getDriverLink(first.get('a')!)).toEqual({
        token: first.get('a'),
        siteId: 's1',
        dayStartMs: 1000,
        appointmentId: 'a',
      });
      expect(await store.getDriverLink('tok-never-made')).toBeUndefined();
      // A token already taken by another appointment is not reused: a new one is made.
      const taken = first.get('a')!;
      let tries = 0;
      const collide = () => (++tries === 1 ? taken : `tok-${name}-fresh`);
      const fresh = await store.ensureDriverLinks('s2', 1000, ['z'], collide, 8);
      expect(fresh.get('z')).toBe(`tok-${name}-fresh`);
      expect((await store.getDriverLink(taken))?.appointmentId).toBe('a');
    });

    it('prunes the links of days that started before a cut, and only those', async () => {
      const store = current();
      let n = 0;
      const make = () => `tok-${name}-prune-${++n}`;
      const old = await store.ensureDriverLinks('s1', 1000, ['a', 'b'], make, 5);
      const kept = await store.ensureDriverLinks('s1', 2000, ['a'], make, 6);
      expect(await store.pruneDriverLinks(2000)).toBe(2);
      expect(await store.getDriverLink(old.get('a')!)).toBeUndefined();
      expect(await store.getDriverLink(old.get('b')!)).toBeUndefined();
      expect((await store.getDriverLink(kept.get('a')!))?.dayStartMs).toBe(2000);
      expect(await store.pruneDriverLinks(2000)).toBe(0);
    });
  });
}
