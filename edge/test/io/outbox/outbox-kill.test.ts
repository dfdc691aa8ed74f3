import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeSyncRequest, encodeSyncRequest } from '@citybay/proto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteOutbox } from '../../../src/io/outbox/outbox-sqlite.js';
import { tempDir } from '../../support/temp-dir.js';

const WRITER = fileURLToPath(new URL('../../fixtures/outbox-writer.ts', import.meta.url));
const ROUNDS = 20;

let dir: ReturnType<typeof tempDir>;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => dir.remove());

/** Runs the writer until it printed `writes` more appends, then kills it with SIGKILL mid-write. */
async function writeAndKill(
  path: string,
  writes: number,
  maxSummaries: number,
): Promise<{ written: number[]; acked: number[] }> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--conditions=@citybay/source', '--import', 'tsx', WRITER, path, String(maxSummaries)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const written: number[] = [];
  const acked: number[] = [];
  let buffer = '';
  await new Promise<void>((resolve) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        const [kind, value] = line.split(' ');
        if (kind === 'w') written.push(Number(value));
        if (kind === 'a') acked.push(Number(value));
      }
      if (written.length >= writes && child.exitCode === null && !child.killed) {
        child.kill('SIGKILL');
        resolve();
      }
    });
  });
  if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
  return { written, acked };
}

describe('outbox under kill -9', () => {
  it(`opens after ${ROUNDS} kills mid-write with nothing written or acknowledged lost or corrupted`, async () => {
    const path = join(dir.path, 'outbox.db');
    let everWritten = 0;
    let everAcked = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // A small bound in some rounds so kills also land inside compactions.
      const maxSummaries = round % 3 === 2 ? 120 : 200_000;
      const { written, acked } = await writeAndKill(path, 20 + ((round * 37) % 200), maxSummaries);
      everWritten = Math.max(everWritten, ...written);
      everAcked = Math.max(everAcked, ...acked, 0);

      const raw = new Database(path);
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      raw.close();
      const outbox = new SqliteOutbox({ path });
      expect(outbox.lastSeq()).toBeGreaterThanOrEqual(everWritten);
      expect(outbox.ackedSeq()).toBeGreaterThanOrEqual(everAcked);
      // Every unacknowledged seq up to the last written one is covered exactly once, in order.
      const waiting = outbox.peek(1_000_000);
      let covered = outbox.ackedSeq();
      for (const s of waiting) {
        const count = s.compactedCount || 1;
        expect(s.seq! - count, `summary ${s.seq} (covering ${count})`).toBeLessThanOrEqual(covered);
        expect(s.seq!).toBeGreaterThan(covered);
        covered = s.seq!;
      }
      expect(covered).toBe(outbox.lastSeq());
      // And every one still decodes as a valid summary on the wire.
      const request = { siteId: 'hospital-north', edgeId: 'edge-01', summaries: waiting.slice(-3000) };
      expect(decodeSyncRequest(encodeSyncRequest(request)).summaries?.length).toBe(request.summaries.length);
      outbox.close();
    }
    expect(everWritten).toBeGreaterThan(ROUNDS * 20);
  }, 120_000);
});
