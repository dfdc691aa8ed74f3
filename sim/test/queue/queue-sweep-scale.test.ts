import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killCli, startCli, type StartedCli } from './queue-cli.js';
import { dropSchema, TEST_DATABASE_URL, testSql, uniqueQueueSchema } from './queue-postgres.js';

// Issue 19: "a 10,000-run sweep must end with its report", through the queue. Runs of the tiny fixture take about a
// millisecond, so this times the sweep's machinery: submitting 10,000 jobs, workers taking them in batches, storing
// and reading 10,000 results, and the report.
const TINY = new URL('../fixtures/tiny/scenario.yaml', import.meta.url).pathname;
// 70,000 files: on tmpfs where there is one (this VM's disk took 2 minutes to delete them, under other load).
const outRoot = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'citybay-queue-scale-'));
const schema = uniqueQueueSchema();
const started: StartedCli[] = [];

afterAll(async () => {
  await Promise.all(started.map(killCli));
  await dropSchema(schema);
  rmSync(outRoot, { recursive: true, force: true });
});

describe('a 10,000-run sweep on the queue', () => {
  it('sweep --queue ends with its report, KPI table and a folder per run', async () => {
    await testSql('SELECT 1');
    const worker = startCli(['worker', '--database-url', TEST_DATABASE_URL, '--schema', schema, '--quiet']);
    started.push(worker);
    const out = join(outRoot, 'queued');
    // 10 policies × 1,000 seeds.
    const args = ['sweep', TINY, '--seeds', '1-1000', '--out', out, '--queue', TEST_DATABASE_URL, '--schema', schema];
    const sweep = startCli(args);
    started.push(sweep);
    const code = await sweep.exited;
    expect(code, `${sweep.output().slice(-2000)}\n--- worker:\n${worker.output().slice(-2000)}`).toBe(0);
    expect(sweep.output()).toMatch(/10000 runs in [\d.]+ s; report in/);
    console.log(`${sweep.output().match(/10000 runs in [\d.]+ s/)![0]} on the queue`);

    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('10000 runs: summarised per policy');
    expect(html).toContain('p9 (1000 seeds)');
    const kpis = readFileSync(join(out, 'kpis.csv'), 'utf8').trim().split('\n');
    expect(kpis).toHaveLength(1 + 10_000);
    expect(readdirSync(out).filter((name) => /^p\d-seed\d+$/.test(name))).toHaveLength(10_000);
    // The tiny runs are real runs: nearly all park a few cars (a seed may draw no visit in the period).
    const parkTrips = kpis[0]!.split(',').indexOf('parkTrips');
    expect(parkTrips).toBeGreaterThan(0);
    expect(kpis.slice(1).filter((row) => Number(row.split(',')[parkTrips]) > 0).length).toBeGreaterThan(9_000);

    const [sweepRow] = await testSql(`SELECT state, done_count FROM ${schema}.sweep`);
    expect(sweepRow).toEqual({ state: 'done', done_count: 10_000 });
    worker.child.kill('SIGTERM');
    expect(await worker.exited, worker.output()).toBe(0);
    expect(worker.output()).toMatch(/stopped after 10000 runs; 0 handed back/);
  }, 120_000);
});
