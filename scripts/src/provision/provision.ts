import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { findMissingTools, isOnPath, type PostgresState, probePostgres } from './machine-probe.js';
import { POSTGRES_DEBIAN_PACKAGE, TOOL_REQUIREMENTS, type ToolRequirement } from './requirements.js';

export interface ProvisionOptions {
  /** Only check and report; never install or start anything (also what a non-root user gets). */
  isCheckOnly: boolean;
  /** True when running as root, so apt-get and pg_ctlcluster may be used. */
  isRoot: boolean;
  /** The `PATH` to look for tools in. */
  path: string;
  /** The environment apt-get runs with. */
  env: NodeJS.ProcessEnv;
  /** The database the PostgreSQL tests use. */
  databaseUrl: string;
  /** True when that database is on this machine (loopback), so the provisioner may install, start and set it up. */
  isLocal: boolean;
  /** How long to wait for a PostgreSQL server it started to answer, in ms. Default 60,000. */
  postgresStartTimeoutMs?: number;
  /** Progress lines (what it installs or starts). */
  say(line: string): void;
}

export interface ProvisionResult {
  missingTools: ToolRequirement[];
  postgres: PostgresState;
}

/**
 * Makes the machine able to run the tests: finds missing tools and an unready test database and, as root on
 * Debian, installs the packages with apt-get, starts (or creates) the local PostgreSQL cluster, creates the test
 * database and lets the test user in from loopback. Returns what is still missing afterwards.
 */
export async function provision(options: ProvisionOptions): Promise<ProvisionResult> {
  let missingTools = findMissingTools(TOOL_REQUIREMENTS, options.path);
  let postgres = await probePostgres(options.databaseUrl);
  const canInstall = !options.isCheckOnly && options.isRoot && isOnPath('apt-get', options.path);
  if (!canInstall) return { missingTools, postgres };

  const packages = missingTools.map((tool) => tool.debianPackage);
  const needsServer = !postgres.isReady && options.isLocal && !isOnPath('pg_lsclusters', options.path);
  if (needsServer) packages.push(POSTGRES_DEBIAN_PACKAGE);
  if (packages.length > 0) {
    try {
      aptInstall([...new Set(packages)], options.env, options.say);
    } catch (err) {
      // What is still missing is reported below, with the command to try by hand.
      options.say(`provision: apt-get failed: ${(err as Error).message}`);
    }
    missingTools = findMissingTools(TOOL_REQUIREMENTS, options.path);
  }
  if (!postgres.isReady && options.isLocal) postgres = await readyLocalPostgres(options);
  return { missingTools, postgres };
}

function run(command: string, args: string[], say: (line: string) => void): string {
  say(`provision: ${command} ${args.join(' ')}`);
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

function aptInstall(packages: string[], baseEnv: NodeJS.ProcessEnv, say: (line: string) => void): void {
  const env = { ...baseEnv, DEBIAN_FRONTEND: 'noninteractive' };
  say(`provision: installing ${packages.join(', ')}`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'inherit', env });
}

function databaseOf(databaseUrl: string): { port: number; database: string; user: string } {
  const url = new URL(databaseUrl);
  return {
    port: Number(url.port || 5432),
    database: decodeURIComponent(url.pathname.slice(1)) || 'postgres',
    user: decodeURIComponent(url.username) || 'postgres',
  };
}

interface Cluster {
  version: string;
  name: string;
  port: number;
  isOnline: boolean;
}

/** `pg_lsclusters` rows: version, cluster, port, status, owner, data directory, log file. */
function listClusters(): Cluster[] {
  const output = execFileSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' });
  return output
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length >= 4)
    .map(([version, name, port, status]) => ({
      version: version!,
      name: name!,
      port: Number(port),
      isOnline: status!.startsWith('online'),
    }));
}

async function readyLocalPostgres(options: ProvisionOptions): Promise<PostgresState> {
  const { say } = options;
  const { port, database, user } = databaseOf(options.databaseUrl);
  let clusters = listClusters().filter((cluster) => cluster.port === port);
  if (clusters.length === 0) {
    const version = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a))[0]!;
    const name = listClusters().some((c) => c.version === version && c.name === 'main') ? `citybay-${port}` : 'main';
    run('pg_createcluster', [version, name, '--port', String(port)], say);
    clusters = listClusters().filter((cluster) => cluster.port === port);
  }
  for (const cluster of clusters.filter((c) => !c.isOnline)) {
    run('pg_ctlcluster', ['--skip-systemctl-redirect', cluster.version, cluster.name, 'start'], say);
  }
  let state = await waitForServer(options.databaseUrl, options.postgresStartTimeoutMs ?? 60_000);
  if (!state.isReady && state.problem === 'auth') {
    allowLoopbackTrust(port, database, user, say);
    state = await probePostgres(options.databaseUrl);
  }
  if (!state.isReady && state.problem === 'no-database') {
    run('runuser', ['-u', 'postgres', '--', 'createdb', '--port', String(port), '--owner', user, database], say);
    state = await probePostgres(options.databaseUrl);
  }
  return state;
}

/** Polls until the server answers at all (even with an error about the database or login), or the deadline. */
async function waitForServer(databaseUrl: string, timeoutMs: number): Promise<PostgresState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await probePostgres(databaseUrl);
    if (state.isReady || state.problem !== 'unreachable' || Date.now() > deadline) return state;
    await sleep(250);
  }
}

/**
 * Lets `user` into `database` from 127.0.0.1 without a password, as the tests connect: one line at the top of
 * pg_hba.conf (first match wins), then a reload. Nothing else in the server's access rules changes.
 */
function allowLoopbackTrust(port: number, database: string, user: string, say: (line: string) => void): void {
  const psql = (sql: string) =>
    run('runuser', ['-u', 'postgres', '--', 'psql', '--port', String(port), '-tAc', sql], say);
  const hbaFile = psql('SHOW hba_file').trim();
  const line = `host ${database} ${user} 127.0.0.1/32 trust`;
  const current = existsSync(hbaFile) ? readFileSync(hbaFile, 'utf8') : '';
  if (!current.includes(line)) {
    say(`provision: ${hbaFile}: adding "${line}"`);
    writeFileSync(hbaFile, `# citybay tests (added by citybay-provision)\n${line}\n${current}`);
  }
  psql('SELECT pg_reload_conf()');
}

/** What is missing and the commands that provide it, for a person to read. */
export function missingReport(result: ProvisionResult, databaseUrl: string, isLocal: boolean): string {
  const lines = ['The tests need these on this machine, and they are missing:'];
  for (const tool of result.missingTools) {
    lines.push(`  - ${tool.name} (Debian package ${tool.debianPackage}), for ${tool.usedBy}`);
  }
  const { postgres } = result;
  if (!postgres.isReady) lines.push(`  - PostgreSQL at ${databaseUrl}: ${postgres.detail}`);
  lines.push('Provide them with:');
  const packages = result.missingTools.map((tool) => tool.debianPackage);
  if (!postgres.isReady && postgres.problem === 'unreachable' && isLocal) packages.push(POSTGRES_DEBIAN_PACKAGE);
  if (packages.length > 0) lines.push(`  sudo apt-get install -y ${[...new Set(packages)].join(' ')}`);
  if (!postgres.isReady && isLocal) {
    if (postgres.problem === 'unreachable') lines.push('  sudo pg_ctlcluster <version> main start');
    const { database, user } = databaseOf(databaseUrl);
    if (postgres.problem === 'auth') {
      lines.push(`  a line "host ${database} ${user} 127.0.0.1/32 trust" at the top of pg_hba.conf, then a reload`);
    }
    if (postgres.problem === 'no-database') lines.push(`  sudo -u postgres createdb --owner ${user} ${database}`);
  }
  if (!postgres.isReady && postgres.problem === 'other') lines.push('  a PostgreSQL server that accepts the URL above');
  if (!postgres.isReady && !isLocal)
    lines.push(`  a PostgreSQL database the tests may create schemas in, at ${databaseUrl}`);
  lines.push('or run `npm test` as root (as .ci/run does on a fresh machine), which installs and starts them itself.');
  return lines.join('\n');
}
