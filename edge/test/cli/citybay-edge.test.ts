import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import Database from 'better-sqlite3';
import { parse, stringify } from 'yaml';
import { CentralPeer, TEST_SECRET } from '../../src/testing/index.js';
import { type EmulatedSite, signValues, startEmulatedSite } from '../support/emulated-site.js';
import { tempDir } from '../support/temp-dir.js';

const CLI = fileURLToPath(new URL('../../src/cli/citybay-edge.ts', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));

function cli(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--conditions=@citybay/source', '--import', 'tsx', CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const done = once(child, 'exit').then(([code]) => ({ code: code as number | null, stdout, stderr }));
  return { child, done, output: () => stdout };
}

describe('citybay-edge CLI', () => {
  it('check: accepts the example and exits 0', async () => {
    const { code, stdout } = await cli(['check', join(EXAMPLES, 'site.yaml')]).done;
    expect(code).toBe(0);
    expect(stdout).toContain('OK');
  });

  it('check: prints every error of the bad example with its path and exits 1', async () => {
    const { code, stderr } = await cli(['check', join(EXAMPLES, 'bad-site.yaml')]).done;
    expect(code).toBe(1);
    expect(stderr).toContain('bad-site.yaml: lots[0].zones[0].bays[1].kind: expected one of');
    expect(stderr).toContain('buses[0].devices[1].profile: unknown profile "no-such-profile"');
    expect(stderr).toMatch(/9 errors/);
  });

  it('without a command prints the usage and exits 2', async () => {
    const { code, stderr } = await cli([]).done;
    expect(code).toBe(2);
    expect(stderr).toContain('usage: citybay-edge');
  });
});

describe('citybay-edge run', () => {
  let dir: ReturnType<typeof tempDir>;
  let site: EmulatedSite;
  beforeAll(async () => {
    dir = tempDir();
    site = await startEmulatedSite({ dir: dir.path, pollIntervalMs: 200 });
  });
  afterAll(async () => {
    await site.close();
    dir.remove();
  });

  it('guides from the emulators, and on SIGTERM flushes the outbox and leaves the sign on its fail-safe', async () => {
    const file = join(dir.path, 'site.yaml');
    writeFileSync(file, stringify({ ...site.file, logLevel: 'info' }));
    const run = cli(['run', file]);
    await vi.waitFor(() => expect(JSON.stringify(signValues(site.sign)), 'the sign to show counts').toBe('[16,16]'), {
      timeout: 20_000,
      interval: 10,
    });
    await site.peer.waitFor(() => site.peer.ackedSeq >= 2);
    run.child.kill('SIGTERM');
    const { code, stdout } = await run.done;
    expect(code).toBe(0);
    expect(stdout).toContain('"msg":"stopped"');
    const lastSeq = Math.max(...site.peer.received);
    expect(site.peer.ackedSeq).toBe(lastSeq);
    expect(signValues(site.sign)).toEqual(['FULL', 'FULL']);
  });

  it('kill -9 while it writes, three times, then a clean run: seqs continue and central gets every summary once, in order', async () => {
    const file = join(dir.path, 'site-kill.yaml');
    const outboxPath = join(dir.path, 'outbox-kill.db');
    const peer = new CentralPeer('hospital-north', 'edge-01', TEST_SECRET);
    writeFileSync(
      file,
      stringify({
        ...site.file,
        central: { ...site.file.central, url: 'http://127.0.0.1:9' },
        outbox: { path: outboxPath },
        intervals: { ...site.file.intervals, summaryMs: 20 },
        logLevel: 'info',
      }),
    );
    let lastWritten = 0;
    // Read-only, so that the test never takes a write lock the edge needs.
    const writtenSeq = () => {
      const db = new Database(outboxPath, { readonly: true, fileMustExist: true });
      try {
        return Number(
          (db.prepare("SELECT value FROM state WHERE key = 'last_seq'").get() as { value: string } | undefined)
            ?.value ?? 0,
        );
      } finally {
        db.close();
      }
    };
    for (let round = 0; round < 3; round++) {
      const run = cli(['run', file]);
      // Wait for this run to be writing summaries, then kill it without warning.
      await vi.waitFor(
        () => expect((run.output().match(/"msg":"running"/g) ?? []).length > 0, 'the edge to run').toBe(true),
        { timeout: 20_000, interval: 10 },
      );
      const target = lastWritten + 10;
      await vi.waitFor(() => expect(writtenSeq() >= target, `seq ${target} written`).toBe(true), {
        timeout: 20_000,
        interval: 10,
      });
      run.child.kill('SIGKILL');
      await run.done;
      expect(writtenSeq()).toBeGreaterThanOrEqual(target);
      lastWritten = writtenSeq();
    }
    await peer.up();
    writeFileSync(
      file,
      stringify({ ...parse(readFileSync(file, 'utf8')), central: { ...site.file.central, url: peer.url } }),
    );
    const run = cli(['run', file]);
    await peer.waitFor(() => peer.ackedSeq > lastWritten, 30_000);
    run.child.kill('SIGTERM');
    await run.done;
    await peer.down();
    expect(peer.received).toEqual(Array.from({ length: peer.received.length }, (_, i) => i + 1));
    // Every start began with a snapshot: the first summary, and the first after each restart.
    expect(peer.stored.get(1)?.isSnapshot).toBe(true);
    expect(peer.stored.get(lastWritten + 1)?.isSnapshot).toBe(true);
  }, 90_000);
});
