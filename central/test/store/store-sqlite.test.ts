import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/store-sqlite.js';
import { storeContract } from '../contract/store.contract.js';

const dir = mkdtempSync(join(tmpdir(), 'citybay-central-'));

storeContract('SQLite', {
  open: async () => new SqliteStore({ path: join(dir, 'central.db') }),
  cleanup: async (store) => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  },
});
