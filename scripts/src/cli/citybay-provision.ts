#!/usr/bin/env node
/**
 * `npm test` runs this first (`pretest`): it makes sure the machine has what the tests need (Debian tools and a
 * PostgreSQL test database, see provision/requirements.ts), installing and starting them when run as root, and
 * otherwise fails naming what is missing and the commands that provide it. `--check` only checks.
 */
import { isCitybayError } from '@citybay/common';
import { errors } from '../errors.js';
import { missingReport, provision } from '../provision/provision.js';
import { DEFAULT_TEST_DATABASE_URL } from '../provision/requirements.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unknown = args.filter((arg) => arg !== '--check');
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown[0]} (usage: citybay-provision [--check])`);
  const databaseUrl = process.env.CITYBAY_TEST_DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
  const isLocal = LOOPBACK_HOSTS.has(new URL(databaseUrl).hostname);
  const result = await provision({
    isCheckOnly: args.includes('--check'),
    isRoot: process.getuid?.() === 0,
    path: process.env.PATH ?? '',
    env: process.env,
    databaseUrl,
    isLocal,
    say: (line) => console.log(line),
  });
  if (result.missingTools.length > 0 || !result.postgres.isReady) {
    throw errors.CB_PROVISION_MISSING(missingReport(result, databaseUrl, isLocal));
  }
}

main().catch((err: unknown) => {
  console.error(`citybay-provision: ${isCitybayError(err) ? `${err.code}: ` : ''}${(err as Error).message}`);
  process.exit(1);
});
