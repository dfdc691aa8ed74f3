import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSecret, hashSecret, loadConfig, openStore, siteDefinitionFromDocument } from '@citybay/central';
import { stringify as stringifyYaml } from 'yaml';
import type { GeneratedSite } from '../district/generate-district.js';
import { errors } from '../errors.js';

/** API roles the demo needs a key for. */
export const DEMO_KEY_ROLES = ['hospital', 'engineer', 'operator'] as const;
export type DemoKeyRole = (typeof DEMO_KEY_ROLES)[number];

/** Where the demo keeps what central printed once: one file per secret, mode 0600, under `<dataDir>/credentials`. */
export interface DemoCredentials {
  dir: string;
  edgeSecretFile(edgeId: string): string;
  keyFile(role: DemoKeyRole): string;
  apiKeysFile: string;
}

export function demoCredentials(dataDir: string): DemoCredentials {
  const dir = join(dataDir, 'credentials');
  return {
    dir,
    edgeSecretFile: (edgeId) => join(dir, `${edgeId}.secret`),
    keyFile: (role) => join(dir, `${role}.key`),
    apiKeysFile: join(dir, 'api-keys.yaml'),
  };
}

function writeSecret(path: string, text: string): void {
  writeFileSync(path, `${text}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/**
 * The demo's API keys (hospital, engineer, operator): created once, kept under the data directory, and listed by
 * their SHA-256 in central's keys file (the file `citybay-central key add` writes).
 */
export function ensureApiKeys(credentials: DemoCredentials): Record<DemoKeyRole, string> {
  mkdirSync(credentials.dir, { recursive: true, mode: 0o700 });
  const keys = {} as Record<DemoKeyRole, string>;
  for (const role of DEMO_KEY_ROLES) {
    const file = credentials.keyFile(role);
    if (!existsSync(file)) writeSecret(file, generateSecret());
    keys[role] = readFileSync(file, 'utf8').trim();
  }
  const document = {
    keys: DEMO_KEY_ROLES.map((role) => ({
      id: `demo-${role}`,
      role,
      sha256: hashSecret(keys[role]),
    })),
  };
  writeSecret(credentials.apiKeysFile, stringifyYaml(document).trimEnd());
  return keys;
}

export interface RegisterOptions {
  sites: readonly GeneratedSite[];
  credentials: DemoCredentials;
  /** Central's SQLite file. */
  sqlitePath: string;
  log(line: string): void;
}

/**
 * Adds (or updates) every site in central's database through central's admin API (the store the
 * `citybay-central site add` / `edge add` commands use), and adds each edge the first time, keeping its secret —
 * shown once — in `<edge>.secret` (0600). A later start only refreshes the site definitions. Runs before central
 * serves, like the admin CLI.
 */
export async function registerSitesAndEdges(options: RegisterOptions): Promise<void> {
  const { credentials } = options;
  mkdirSync(credentials.dir, { recursive: true, mode: 0o700 });
  const store = openStore(loadConfig({}, { sqlitePath: options.sqlitePath }));
  try {
    await store.migrate();
    const nowMs = Date.now();
    for (const site of options.sites) {
      await store.putSite(siteDefinitionFromDocument(site.central, `generated site ${site.siteId}`), nowMs);
    }
    for (const site of options.sites) {
      const secretFile = credentials.edgeSecretFile(site.edgeId);
      if (existsSync(secretFile)) continue;
      if ((await store.getEdge(site.edgeId)) !== undefined) {
        throw errors.CB_START_CHILD_FAILED(
          `edge ${site.edgeId} is registered in central but its secret file ${secretFile} is gone: start over with --fresh`,
        );
      }
      const secret = generateSecret();
      await store.addEdge(site.siteId, site.edgeId, hashSecret(secret), nowMs);
      writeSecret(secretFile, secret);
      options.log(`registered edge ${site.edgeId} for site ${site.siteId}; its secret is in ${secretFile}`);
    }
  } finally {
    await store.close();
  }
}
