import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/store-sqlite.js';
import { districtWhatIf, engineer } from '../helpers/small-district.js';
import { makeAppOnStore, OPERATOR_KEY } from '../helpers/test-app.js';

const dir = mkdtempSync(join(tmpdir(), 'citybay-whatif-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the what-if catalogue across a restart of central (SQLite file)', () => {
  it('still lists and serves every offered scenario, field for field and in order, once reopened', async () => {
    const path = join(dir, 'central.db');
    const store = new SqliteStore({ path });
    const app = await makeAppOnStore(store);
    const bundles = [districtWhatIf('small-district'), districtWhatIf('grid', 'Grid')];
    for (const bundle of bundles) {
      const res = await app.inject({
        method: 'PUT',
        url: `/v1/dashboard/scenarios/${bundle.id}`,
        headers: { authorization: `Bearer ${OPERATOR_KEY}`, 'content-type': 'application/json' },
        payload: JSON.stringify(bundle),
      });
      expect(res.statusCode, res.body).toBe(204);
    }
    const listBefore = (await app.inject({ method: 'GET', url: '/v1/dashboard/scenarios', headers: engineer })).body;
    await app.close();
    await store.close();

    const reopened = new SqliteStore({ path });
    const again = await makeAppOnStore(reopened);
    try {
      const get = (url: string) => again.inject({ method: 'GET', url, headers: engineer });
      const list = await get('/v1/dashboard/scenarios');
      expect(list.body).toBe(listBefore);
      expect(list.json().scenarios.map((s: { id: string }) => s.id)).toEqual(['small-district', 'grid']);
      for (const bundle of bundles) expect((await get(`/v1/dashboard/scenarios/${bundle.id}`)).json()).toEqual(bundle);
    } finally {
      await again.close();
      await reopened.close();
    }
  });
});
