import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CentralStore } from '../../src/store/store.js';
import { SqliteStore } from '../../src/store/store-sqlite.js';
import { storeContract } from '../contract/store.contract.js';

// Each store is a new file in a directory of its own, removed with it.
const dirs = new Map<CentralStore, string>();

storeContract('SQLite', {
  open: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'citybay-central-'));
    const store = new SqliteStore({ path: join(dir, 'central.db') });
    dirs.set(store, dir);
    return store;
  },
  cleanup: async (store) => {
    await store.close();
    rmSync(dirs.get(store)!, { recursive: true, force: true });
    dirs.delete(store);
  },
});
