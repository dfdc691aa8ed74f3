import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { errors } from '../errors.js';
import type { GeneratedSite } from '../district/generate-district.js';
import { runToCompletion } from './managed-child.js';

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
 * their SHA-256 in central's keys file (the format `citybay-central key add` writes).
 */
export function ensureApiKeys(credentials: DemoCredentials): Record<DemoKeyRole, string> {
  mkdirSync(credentials.dir, { recursive: true, mode: 0o700 });
  const keys = {} as Record<DemoKeyRole, string>;
  for (const role of DEMO_KEY_ROLES) {
    const file = credentials.keyFile(role);
    if (!existsSync(file)) writeSecret(file, `cbk_${randomBytes(32).toString('base64url')}`);
    keys[role] = readFileSync(file, 'utf8').trim();
  }
  const document = {
    keys: DEMO_KEY_ROLES.map((role) => ({
      id: `demo-${role}`,
      role,
      sha256: createHash('sha256').update(keys[role], 'utf8').digest('hex'),
    })),
  };
  writeSecret(credentials.apiKeysFile, stringifyYaml(document).trimEnd());
  return keys;
}

export interface RegisterOptions {
  sites: readonly GeneratedSite[];
  credentials: DemoCredentials;
  /** Files of the generated central site definitions, by site id. */
  siteFileFor(siteId: string): string;
  /** Runs `citybay-central <args>` (node + script), with the demo's database settings in `env`. */
  central: { command: string; args: string[] };
  env: Record<string, string>;
  log(line: string): void;
}

/**
 * Adds (or updates) every site in central through its admin CLI, and adds each edge the first time, keeping the
 * secret the CLI prints once in `<edge>.secret` (0600). A later start only refreshes the site definitions.
 */
export async function registerSitesAndEdges(options: RegisterOptions): Promise<void> {
  const { credentials, central, env } = options;
  mkdirSync(credentials.dir, { recursive: true, mode: 0o700 });
  for (const site of options.sites) {
    await runToCompletion(central.command, [...central.args, 'site', 'add', options.siteFileFor(site.siteId)], {
      env,
      what: `citybay-central site add (${site.siteId})`,
    });
  }
  for (const site of options.sites) {
    const secretFile = credentials.edgeSecretFile(site.edgeId);
    if (existsSync(secretFile)) continue;
    const output = await runToCompletion(central.command, [...central.args, 'edge', 'add', site.siteId, site.edgeId], {
      env,
      what: `citybay-central edge add ${site.siteId} ${site.edgeId}`,
    }).catch((err: unknown) => {
      const text = (err as Error).message;
      if (text.includes('CB_EDGE_EXISTS')) {
        throw errors.CB_START_CHILD_FAILED(
          `edge ${site.edgeId} is registered in central but its secret file ${secretFile} is gone: start over with --fresh`,
          { cause: err },
        );
      }
      throw err;
    });
    const secret = /secret:\s+(cbk_[A-Za-z0-9_-]+)/.exec(output)?.[1];
    if (secret === undefined) {
      throw errors.CB_START_CHILD_FAILED(`citybay-central edge add printed no secret:\n${output}`);
    }
    writeSecret(secretFile, secret);
    options.log(`registered edge ${site.edgeId} for site ${site.siteId}; its secret is in ${secretFile}`);
  }
}
