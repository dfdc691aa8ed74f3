import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findMissingTools, isOnPath, probePostgres } from '../../src/provision/machine-probe.js';
import { missingReport } from '../../src/provision/provision.js';
import {
  DEFAULT_TEST_DATABASE_URL,
  TOOL_REQUIREMENTS,
  type ToolRequirement,
} from '../../src/provision/requirements.js';

const CLI = new URL('../../src/cli/citybay-provision.ts', import.meta.url).pathname;
const REPO_ROOT = new URL('../../..', import.meta.url).pathname;
const DATABASE_URL = process.env.CITYBAY_TEST_DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'citybay-provision-'));
  dirs.push(dir);
  return dir;
}

/** Where `command` is on this process's PATH. */
function whereIs(command: string): string {
  const dir = (process.env.PATH ?? '').split(delimiter).find((d) => d !== '' && isOnPath(command, d));
  if (dir === undefined) throw new Error(`${command} is not on PATH`);
  return join(dir, command);
}

function runCli(args: string[], env: NodeJS.ProcessEnv): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--conditions=@citybay/source', '--import', 'tsx', CLI, ...args], {
    cwd: REPO_ROOT,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const socat = TOOL_REQUIREMENTS.find((tool) => tool.name === 'socat')!;
const protoc = TOOL_REQUIREMENTS.find((tool) => tool.name === 'protoc')!;

describe('the requirements', () => {
  it('name a Debian package and a use for every tool, once each', () => {
    const names = TOOL_REQUIREMENTS.map((tool) => tool.name);
    expect(new Set(names).size).toBe(names.length);
    for (const tool of TOOL_REQUIREMENTS) {
      expect(tool.debianPackage).toMatch(/^[a-z0-9][a-z0-9.+-]+$/);
      expect(tool.usedBy.length).toBeGreaterThan(10);
    }
    expect(TOOL_REQUIREMENTS.map((tool) => tool.debianPackage)).toEqual(
      expect.arrayContaining(['protobuf-compiler', 'socat', 'mbpoll', 'python3-pymodbus', 'chromium', 'sumo']),
    );
    expect(TOOL_REQUIREMENTS.map((tool) => tool.debianPackage)).toEqual(
      expect.arrayContaining(['sumo-tools', 'prometheus', 'libxml2-utils']),
    );
  });

  it('are all met on this machine (the tests that use them fail otherwise)', () => {
    expect(findMissingTools(TOOL_REQUIREMENTS, process.env.PATH ?? '').map((tool) => tool.name)).toEqual([]);
  });
});

describe('findMissingTools', () => {
  it('looks for commands on the PATH it is given, and only executable files count', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'protoc'), '#!/bin/sh\n');
    chmodSync(join(dir, 'protoc'), 0o755);
    writeFileSync(join(dir, 'socat'), 'not executable');
    const missing = findMissingTools([protoc, socat], `${tempDir()}${delimiter}${dir}`);
    expect(missing.map((tool) => tool.name)).toEqual(['socat']);
  });

  it('checks files and Python modules where the tests use them', () => {
    const absent: ToolRequirement[] = [
      { name: 'f', debianPackage: 'f', usedBy: 'a test', probe: { kind: 'file', path: join(tempDir(), 'nothing') } },
      {
        name: 'p',
        debianPackage: 'p',
        usedBy: 'a test',
        probe: { kind: 'python-module', python: '/usr/bin/python3', module: 'citybay_no_such_module' },
      },
    ];
    expect(findMissingTools(absent, '').map((tool) => tool.name)).toEqual(['f', 'p']);
  });
});

describe('probePostgres', () => {
  it('finds the test database ready', async () => {
    expect(await probePostgres(DATABASE_URL)).toEqual({ isReady: true });
  });

  it('tells a missing database from a server that is not there', async () => {
    const noDatabase = new URL(DATABASE_URL);
    noDatabase.pathname = '/citybay_no_such_database';
    expect(await probePostgres(noDatabase.href)).toMatchObject({ isReady: false, problem: 'no-database' });

    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const state = await probePostgres(`postgres://postgres@127.0.0.1:${port}/test`);
    expect(state).toMatchObject({ isReady: false, problem: 'unreachable' });
    expect(state.isReady ? '' : state.detail).toContain('ECONNREFUSED');
  });
});

describe('missingReport', () => {
  const down = { isReady: false as const, problem: 'unreachable' as const, detail: 'connect ECONNREFUSED' };

  it('names each missing tool and PostgreSQL, with one apt-get line for all of them', () => {
    const report = missingReport({ missingTools: [protoc, socat], postgres: down }, DEFAULT_TEST_DATABASE_URL, true);
    expect(report).toContain('protoc (Debian package protobuf-compiler)');
    expect(report).toContain('socat (Debian package socat)');
    expect(report).toContain(`PostgreSQL at ${DEFAULT_TEST_DATABASE_URL}: connect ECONNREFUSED`);
    expect(report).toContain('sudo apt-get install -y protobuf-compiler socat postgresql');
    expect(report).toContain('sudo pg_ctlcluster <version> main start');
    expect(report).toContain('npm test` as root');
  });

  it('says how to create the database or let the tests in', () => {
    const url = 'postgres://tester@127.0.0.1:5432/citybay';
    const noDatabase = missingReport(
      {
        missingTools: [],
        postgres: { isReady: false, problem: 'no-database', detail: 'database "citybay" does not exist' },
      },
      url,
      true,
    );
    expect(noDatabase).toContain('sudo -u postgres createdb --owner tester citybay');
    expect(noDatabase).not.toContain('apt-get');
    const auth = missingReport(
      { missingTools: [], postgres: { isReady: false, problem: 'auth', detail: 'password authentication failed' } },
      url,
      true,
    );
    expect(auth).toContain('"host citybay tester 127.0.0.1/32 trust"');
  });

  it('does not offer to install a server for a database on another machine', () => {
    const url = 'postgres://ci@db.example:5432/test';
    const report = missingReport({ missingTools: [], postgres: down }, url, false);
    expect(report).not.toContain('apt-get');
    expect(report).toContain(`a PostgreSQL database the tests may create schemas in, at ${url}`);
  });
});

describe('citybay-provision (what npm test runs first)', () => {
  it('passes on this machine', () => {
    const result = runCli(['--check'], process.env);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('fails naming a missing tool and the command that installs it, and installs nothing with --check', () => {
    const bin = tempDir();
    for (const tool of TOOL_REQUIREMENTS) {
      if (tool.probe.kind === 'command' && tool !== socat)
        symlinkSync(whereIs(tool.probe.command), join(bin, tool.probe.command));
    }
    // apt-get on the PATH too: --check must not call it even as root.
    symlinkSync(whereIs('false'), join(bin, 'apt-get'));
    const result = runCli(['--check'], { ...process.env, PATH: bin });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('CB_PROVISION_MISSING');
    expect(result.stderr).toContain('socat (Debian package socat)');
    expect(result.stderr).toContain('sudo apt-get install -y socat\n');
  });

  it('refuses an argument it does not know', () => {
    const result = runCli(['--install-everything'], process.env);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('unknown argument --install-everything');
  });
});
