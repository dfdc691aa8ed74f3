import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';

const CLI = new URL('../../src/cli/citybay-central.ts', import.meta.url).pathname;
const SITE = new URL('../../examples/hospital-north.site.yaml', import.meta.url).pathname;
const NODE_ARGS = ['--conditions=@citybay/source', '--import', 'tsx', CLI];
const dir = mkdtempSync(join(tmpdir(), 'citybay-cli-process-'));
const db = join(dir, 'central.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The real process, not the in-process command runner: exit codes, stdout and shutdown as an operator sees them.
describe('citybay-central as a process', () => {
  it('migrates, adds a site and an edge, and exits 0', () => {
    for (const args of [['migrate'], ['site', 'add', SITE], ['edge', 'add', 'hospital-north', 'edge-01']]) {
      const run = spawnSync(process.execPath, [...NODE_ARGS, ...args, '--sqlite', db], { encoding: 'utf8' });
      expect(run.status, `${args.join(' ')}: ${run.stderr}`).toBe(0);
      expect(run.stdout.length).toBeGreaterThan(0);
    }
  }, 60_000);

  it('serves until SIGTERM, then shuts down gracefully with exit code 0', async () => {
    const child = spawn(process.execPath, [...NODE_ARGS, 'serve'], {
      env: { ...process.env, CITYBAY_SQLITE_PATH: db, CITYBAY_PORT: '0', CITYBAY_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'central listening' && entry.url) resolve(entry.url);
      });
      child.once('exit', (code) => reject(new Error(`serve exited early with ${code}`)));
    });
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 30_000);
});
