/**
 * The systemd unit and the README's Raspberry Pi guide, followed as far as a test machine allows:
 * `systemd-analyze verify` is clean, the site file and secret are installed as the guide says,
 * `citybay-edge check` passes, and the process started with the unit's own ExecStart command line,
 * environment and working directory serves /healthz with the V8 flags in effect (Node refuses two of
 * them in NODE_OPTIONS, where the unit used to set them, so the edge ran without them).
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { TEST_SECRET } from '../../src/testing/index.js';
import { type EmulatedSite, startEmulatedSite } from '../support/emulated-site.js';
import { tempDir } from '../support/temp-dir.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const UNIT = join(REPO, 'edge/deploy/citybay-edge.service');
const CLI = join(REPO, 'edge/dist/cli/citybay-edge.js');
const V8_FLAGS = ['--max-semi-space-size=1', '--single-threaded', '--lite-mode'];
if (!existsSync('/usr/bin/systemd-analyze')) {
  throw new Error('systemd-analyze is missing (Debian package systemd): run `npm test` (as root it installs it)');
}

/** The [Service] settings of the unit: each key with every value it is given, in order. */
function serviceSettings(): Map<string, string[]> {
  const settings = new Map<string, string[]>();
  let section = '';
  for (const raw of readFileSync(UNIT, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) section = line;
    if (section !== '[Service]' || line === '' || line.startsWith('#') || !line.includes('=')) continue;
    const at = line.indexOf('=');
    settings.set(line.slice(0, at), [...(settings.get(line.slice(0, at)) ?? []), line.slice(at + 1)]);
  }
  return settings;
}

let dir: ReturnType<typeof tempDir>;
let site: EmulatedSite;
let edge: ChildProcess | undefined;
/** The machine's paths, under the test's own directory; /opt/citybay is this repository. */
let paths: Record<string, string>;
const onTestMachine = (text: string) =>
  Object.entries(paths).reduce((out, [from, to]) => out.split(from).join(to), text);

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
  dir = tempDir();
  paths = {
    '/opt/citybay': REPO.replace(/\/$/, ''),
    '/etc/citybay': join(dir.path, 'etc/citybay'),
    '/var/lib/citybay-edge': join(dir.path, 'var/lib/citybay-edge'),
  };
  site = await startEmulatedSite({ dir: dir.path, pollIntervalMs: 200 });
  // The guide: site.yaml and edge.secret in /etc/citybay (0640), the outbox in the unit's StateDirectory.
  mkdirSync(paths['/etc/citybay']!, { recursive: true });
  mkdirSync(paths['/var/lib/citybay-edge']!, { recursive: true });
  const siteFile = {
    ...site.file,
    central: { ...site.file.central, secret: undefined, secretFile: '/etc/citybay/edge.secret' },
    outbox: { path: '/var/lib/citybay-edge/outbox.db' },
    logLevel: 'info' as const,
  };
  const installed = join(paths['/etc/citybay']!, 'site.yaml');
  writeFileSync(installed, onTestMachine(stringify(siteFile)));
  writeFileSync(join(paths['/etc/citybay']!, 'edge.secret'), `${TEST_SECRET}\n`);
  for (const file of ['site.yaml', 'edge.secret']) chmodSync(join(paths['/etc/citybay']!, file), 0o640);
});

afterAll(async () => {
  if (edge && edge.exitCode === null) {
    edge.kill('SIGKILL');
    await once(edge, 'exit');
  }
  await site?.close();
  dir?.remove();
});

describe('systemd unit and the Raspberry Pi guide', () => {
  it('systemd-analyze verify finds nothing to say about the unit', () => {
    const result = spawnSync('systemd-analyze', ['verify', UNIT], { encoding: 'utf8' });
    expect(result.stderr + result.stdout).toBe('');
    expect(result.status).toBe(0);
  });

  it('puts the V8 flags on ExecStart, not in NODE_OPTIONS, and makes optional paths optional', () => {
    const settings = serviceSettings();
    expect((settings.get('Environment') ?? []).some((e) => e.includes('NODE_OPTIONS'))).toBe(false);
    const execStart = settings.get('ExecStart')![0]!.split(/\s+/);
    expect(execStart.slice(0, 4)).toEqual(['/usr/bin/node', ...V8_FLAGS]);
    expect(settings.get('ReadWritePaths')![0]!.split(/\s+/)).toContain('-/sys/class/gpio');
    expect(settings.get('StateDirectory')).toEqual(['citybay-edge']);
  });

  it("the guide's check, then the unit's ExecStartPre, pass on the installed site file", () => {
    expect(statSync(join(paths['/etc/citybay']!, 'edge.secret')).mode & 0o777).toBe(0o640);
    const guide = execFileSync(
      '/usr/bin/node',
      ['edge/dist/cli/citybay-edge.js', 'check', onTestMachine('/etc/citybay/site.yaml')],
      {
        cwd: REPO,
        encoding: 'utf8',
      },
    );
    expect(guide).toMatch(/OK — site hospital-north, edge edge-01/);
    const [command, ...args] = onTestMachine(serviceSettings().get('ExecStartPre')![0]!).split(/\s+/);
    expect(spawnSync(command!, args, { encoding: 'utf8' }).status).toBe(0);
  });

  it('the process the unit starts serves /healthz with its V8 flags in effect, and stops on SIGTERM', async () => {
    const settings = serviceSettings();
    const [command, ...args] = onTestMachine(settings.get('ExecStart')![0]!).split(/\s+/);
    const env = Object.fromEntries((settings.get('Environment') ?? []).map((e) => e.split('=', 2) as [string, string]));
    const child = spawn(command!, args, {
      cwd: onTestMachine(settings.get('WorkingDirectory')![0]!),
      // What systemd gives a service: the unit's variables and a plain PATH, nothing from this shell.
      env: { PATH: '/usr/local/bin:/usr/bin:/bin', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    edge = child;
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    await vi.waitFor(
      () => expect(/"msg":"running"/.test(stdout) || child.exitCode !== null, 'the edge to run').toBe(true),
      { timeout: 30_000, interval: 10 },
    );
    expect(child.exitCode, stderr).toBeNull();
    const port = (JSON.parse(stdout.split('\n').find((l) => l.includes('"msg":"running"'))!) as { httpPort: number })
      .httpPort;
    await vi.waitFor(
      async () =>
        expect(
          (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.status,
          '/healthz to answer ok',
        ).toBe(200),
      { timeout: 30_000, interval: 100 },
    );
    const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as {
      status: string;
      runtime: { execArgv: string[] };
    };
    expect(health.status).toBe('ok');
    // The flags reached Node (which would refuse a flag it does not take) and V8 (lite mode's own notice).
    expect(health.runtime.execArgv).toEqual(V8_FLAGS);
    expect(stderr).toContain('disabling flag --expose_wasm');
    await site.peer.waitFor(() => site.peer.ackedSeq >= 1);
    child.kill(settings.get('KillSignal')![0] as NodeJS.Signals);
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(0);
    expect(stdout).toContain('"msg":"stopped"');
  });
});
