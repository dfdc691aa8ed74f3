import { describe, expect, it } from 'vitest';
import type { WhatIfScenario } from '../../src/store/store.js';
import { freshStore, type StoreFactory } from './store-fixture.js';

/** A what-if scenario whose files are not in sorted order and not all ASCII (the store must keep both). */
function whatIf(id: string, name = `Scenario ${id}`, description?: string): WhatIfScenario {
  return {
    id,
    name,
    ...(description === undefined ? {} : { description }),
    policies: ['baseline', 'signs', 'open-p10'],
    scenario: `name: ${id}\nnetwork: net.json\nlots: lots.yaml\n`,
    files: { 'net.json': '{"nodes":[]}', 'lots.yaml': 'lots: [] # Zufahrt Süd — 入口\n', 'appointments.csv': 'a,b\n' },
  };
}

/** The what-if catalogue: scenarios as put, oldest first, replaced under their id, the newest kept. */
export function whatIfContract(name: string, factory: StoreFactory): void {
  describe(`what-if catalogue: ${name}`, () => {
    const current = freshStore(factory);
    const ids = async () => (await current().listWhatIfScenarios()).map((s) => s.id);

    it('stores a scenario with its files as put, and lists summaries without files, oldest first', async () => {
      const store = current();
      expect(await store.listWhatIfScenarios()).toEqual([]);
      const district = whatIf('district', 'District', 'Hospital approach, 07:00–10:00');
      expect(await store.putWhatIfScenario(district, 20)).toBe(0);
      expect(await store.putWhatIfScenario(whatIf('grid'), 20)).toBe(0);
      const stored = await store.getWhatIfScenario('district');
      expect(stored).toEqual(district);
      expect(JSON.stringify(stored)).toBe(JSON.stringify(district));
      expect(Object.keys(stored!.files)).toEqual(['net.json', 'lots.yaml', 'appointments.csv']);
      expect(await store.listWhatIfScenarios()).toEqual([
        {
          id: 'district',
          name: 'District',
          description: 'Hospital approach, 07:00–10:00',
          policies: district.policies,
        },
        { id: 'grid', name: 'Scenario grid', policies: district.policies },
      ]);
      const [summary] = await store.listWhatIfScenarios();
      expect(summary).not.toHaveProperty('files');
      expect(summary).not.toHaveProperty('scenario');
      expect(await store.listWhatIfScenarios().then((l) => l[1])).not.toHaveProperty('description');
      expect(await store.getWhatIfScenario('nope')).toBeUndefined();
    });

    it('replaces a scenario offered again under its id, which becomes the newest', async () => {
      const store = current();
      await store.putWhatIfScenario(whatIf('district', 'District', 'Hospital approach, 07:00–10:00'), 20);
      await store.putWhatIfScenario(whatIf('grid'), 20);
      const again = { ...whatIf('district', 'District v2'), files: { 'net.json': '{}' } };
      expect(await store.putWhatIfScenario(again, 20)).toBe(0);
      expect(await ids()).toEqual(['grid', 'district']);
      expect(await store.getWhatIfScenario('district')).toEqual(again);
      expect((await store.listWhatIfScenarios())[1]).toEqual({
        id: 'district',
        name: 'District v2',
        policies: again.policies,
      });
    });

    it('keeps the newest scenarios, deleting the ones offered longest ago', async () => {
      const store = current();
      await store.putWhatIfScenario(whatIf('district'), 20);
      await store.putWhatIfScenario(whatIf('grid'), 20);
      await store.putWhatIfScenario({ ...whatIf('district', 'District v2'), files: { 'net.json': '{}' } }, 20);
      expect(await store.putWhatIfScenario(whatIf('c1'), 3)).toBe(0);
      expect(await ids()).toEqual(['grid', 'district', 'c1']);
      expect(await store.putWhatIfScenario(whatIf('c2'), 3)).toBe(1);
      expect(await ids()).toEqual(['district', 'c1', 'c2']);
      expect(await store.getWhatIfScenario('grid')).toBeUndefined();
      // Offered again, the oldest is the newest: the next oldest goes instead.
      expect(await store.putWhatIfScenario(whatIf('district'), 3)).toBe(0);
      expect(await store.putWhatIfScenario(whatIf('c3'), 3)).toBe(1);
      expect(await ids()).toEqual(['c2', 'district', 'c3']);
      // A smaller cap trims at once, keeping the one just put.
      expect(await store.putWhatIfScenario(whatIf('c4'), 1)).toBe(3);
      expect(await ids()).toEqual(['c4']);
      expect(await store.getWhatIfScenario('c4')).toEqual(whatIf('c4'));
    });
  });
}
