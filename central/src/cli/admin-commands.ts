import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isCitybayError } from '@citybay/common';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { type CentralConfig, loadConfig } from '../config.js';
import { parseSiteDefinition } from '../core/site-definition.js';
import { errors } from '../errors.js';
import { API_ROLES, type ApiKeysFile, type ApiRole, apiKeysFromDocument } from '../io/api-keys.js';
import { basicAuthHeader, generateSecret, hashSecret } from '../io/credentials.js';
import { runCentral } from '../main.js';
import { openStore } from '../store/open-store.js';
import type { CentralStore } from '../store/store.js';

export const USAGE = `citybay-central — the central service and its admin commands

Usage:
  citybay-central serve                               run the service (config from DATABASE_URL, CITYBAY_*)
  citybay-central migrate                             apply database migrations
  citybay-central site add <site.yaml>                add or update a site from its definition file
  citybay-central site list
  citybay-central edge add <siteId> <edgeId>          add an edge; prints its secret ONCE
  citybay-central edge rotate <edgeId>                new secret (the old one stays valid until --finish)
  citybay-central edge rotate <edgeId> --finish       end the rotation: only the newest secret is valid
  citybay-central edge list <siteId>
  citybay-central key add <keys.yaml> <id> <role> [--site <siteId>]...
                                                      new API key (role: ${API_ROLES.join(', ')}); prints it ONCE

Options:
  --database-url <url>   PostgreSQL instead of SQLite (default: $DATABASE_URL)
  --sqlite <path>        SQLite file (default: $CITYBAY_SQLITE_PATH or ./data/central.db)
`;

export interface CliIo {
  /** Environment to configure from; default: the process environment (read by the config module). */
  env?: Record<string, string | undefined>;
  out(line: string): void;
  err(line: string): void;
}

function usage(message: string): never {
  throw errors.CB_CLI_USAGE(`${message}\n\n${USAGE}`);
}

async function withStore<T>(config: CentralConfig, work: (store: CentralStore) => Promise<T>): Promise<T> {
  const store = openStore(config);
  try {
    await store.migrate();
    return await work(store);
  } finally {
    await store.close();
  }
}

/** Runs one admin command; returns the process exit code. */
export async function runAdminCommand(argv: string[], io: CliIo): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'database-url': { type: 'string' },
        sqlite: { type: 'string' },
        finish: { type: 'boolean', default: false },
        site: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help || positionals.length === 0) {
      io.out(USAGE);
      return 0;
    }
    const config = loadConfig(io.env ?? undefined, { databaseUrl: values['database-url'], sqlitePath: values.sqlite });
    const [command, sub, ...rest] = positionals;
    const nowMs = Date.now();
    switch (`${command} ${sub ?? ''}`.trim()) {
      case 'serve':
        await runCentral(config);
        return 0;
      case 'migrate': {
        const target = openStore(config);
        const applied = await target.migrate().finally(() => target.close());
        const store = config.databaseUrl ? 'PostgreSQL' : config.sqlitePath;
        io.out(applied.length > 0 ? `migrated ${store}: applied ${applied.join(', ')}` : `${store} is up to date`);
        return 0;
      }
      case 'site add': {
        const file = rest[0] ?? usage('site add: which site file?');
        const site = parseSiteDefinition(readFileSync(file, 'utf8'), file);
        await withStore(config, (store) => store.putSite(site, nowMs));
        io.out(`site ${site.id} (${site.name}): ${site.lots.length} lots saved`);
        return 0;
      }
      case 'site list': {
        const sites = await withStore(config, (store) => store.listSites());
        for (const site of sites) io.out(`${site.id}\t${site.name}\t${site.lots.map((l) => l.id).join(',')}`);
        return 0;
      }
      case 'edge add': {
        const [siteId, edgeId] = rest;
        if (!siteId || !edgeId) usage('edge add: give <siteId> <edgeId>');
        if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/.test(edgeId)) usage(`edge add: "${edgeId}" is not an id`);
        const secret = generateSecret();
        await withStore(config, (store) => store.addEdge(siteId, edgeId, hashSecret(secret), nowMs));
        printCredentials(io, edgeId, secret, `edge ${edgeId} added to site ${siteId}`);
        return 0;
      }
      case 'edge rotate': {
        const edgeId = rest[0] ?? usage('edge rotate: which edge?');
        if (values.finish) {
          await withStore(config, (store) => store.dropOldEdgeSecrets(edgeId));
          io.out(`edge ${edgeId}: rotation finished, only the newest secret is valid`);
          return 0;
        }
        const secret = generateSecret();
        await withStore(config, (store) => store.addEdgeSecret(edgeId, hashSecret(secret), nowMs));
        printCredentials(
          io,
          edgeId,
          secret,
          `edge ${edgeId}: new secret (the previous one stays valid until --finish)`,
        );
        return 0;
      }
      case 'edge list': {
        const siteId = rest[0] ?? usage('edge list: which site?');
        const edges = await withStore(config, (store) => store.listEdgeStatus(siteId));
        for (const e of edges) {
          io.out(
            `${e.edgeId}\tacked ${e.ackedSeq}\tmissing ${e.missingSeqCount}\tsecrets ${e.secretCount}\tlast seen ${e.lastSeenMs ? new Date(e.lastSeenMs).toISOString() : 'never'}`,
          );
        }
        return 0;
      }
      case 'key add': {
        const [file, id, role] = rest;
        if (!file || !id || !role) usage('key add: give <keys.yaml> <id> <role>');
        if (!(API_ROLES as readonly string[]).includes(role))
          usage(`key add: role "${role}" is not one of ${API_ROLES.join(', ')}`);
        let document: ApiKeysFile = { keys: [] };
        try {
          document = apiKeysFromDocument(parseYaml(readFileSync(file, 'utf8')) ?? { keys: [] }, file);
        } catch (cause) {
          if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') throw cause;
        }
        if (document.keys.some((k) => k.id === id && k.role === role))
          usage(`key add: ${file} already has a ${role} key "${id}"`);
        const key = generateSecret();
        document.keys.push({
          id,
          role: role as ApiRole,
          ...(values.site ? { sites: values.site } : {}),
          sha256: hashSecret(key),
        });
        writeFileSync(file, stringifyYaml(apiKeysFromDocument(document, file)), { mode: 0o600 });
        io.out(`${role} key "${id}" added to ${file}. Give it to its holder now; it is not shown again:`);
        io.out(key);
        return 0;
      }
      default:
        return usage(`unknown command "${positionals.join(' ')}"`);
    }
  } catch (err) {
    if (isCitybayError(err)) {
      io.err(`${err.code}: ${err.message}`);
      return 2;
    }
    io.err(`citybay-central: ${(err as Error).message}`);
    return 1;
  }
}

function printCredentials(io: CliIo, edgeId: string, secret: string, headline: string): void {
  io.out(`${headline}. Store the secret on the edge now; it is not shown again:`);
  io.out(`  edge id: ${edgeId}`);
  io.out(`  secret:  ${secret}`);
  io.out(`  header:  Authorization: ${basicAuthHeader(edgeId, secret)}`);
}
