import { isCitybayError } from '@citybay/common';
import { encodeSyncRequest, type SyncRequest } from '@citybay/proto';
import { afterEach, beforeEach, expect } from 'vitest';
import type { CentralStore } from '../../src/store/store.js';
import { sampleSite, siteDefinitionFor } from '../helpers/sample-site.js';

/** Makes stores of one engine: each `open` a new, empty database (file or schema) that `cleanup` removes. */
export interface StoreFactory {
  open(): Promise<CentralStore>;
  cleanup(store: CentralStore): Promise<void>;
}

export const T0 = 1_795_000_000_000;

/** The site most cases use (500 bays, 7 zones and a gate-counted lot) and its definition. */
export const site = sampleSite(500, 7);
export const definition = siteDefinitionFor(site);

export async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isCitybayError(err, code), `expected ${code}, got ${String(err)}`).toBe(true);
}

export function ingest(store: CentralStore, request: SyncRequest, receivedMs = T0 + 60_000) {
  return store.ingest(request, encodeSyncRequest(request), receivedMs);
}

/**
 * Gives each test of the calling `describe` a store of its own: a new database, migrated, holding `definition`
 * and its edge `edge-01`, removed after the test. Read `current()` inside a test.
 */
export function freshStore(factory: StoreFactory): () => CentralStore {
  let store: CentralStore | undefined;
  beforeEach(async () => {
    store = await factory.open();
    expect(await store.migrate()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    await store.putSite(definition, T0);
    await store.addEdge(definition.id, 'edge-01', 'a'.repeat(64), T0);
  });
  afterEach(async () => {
    if (store) await factory.cleanup(store);
    store = undefined;
  });
  return () => {
    if (!store) throw new Error('the store exists only inside a test');
    return store;
  };
}
