/**
 * What the `npm start` stack costs on this machine: time to ready, then CPU and memory of every process over a
 * sampling window, with the twin replaying the peak at 30× and — the reference, same run — with it crawling at
 * 0.01× (polling, sync and the live feed only). Needs a build (`npm run build`): it runs the built processes.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack } from '../src/stack/start-stack.js';

const SAMPLE_MS = 30_000;
const TICKS_PER_S = 100;

function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
  } catch {
    return 0;
  }
}

function rssMb(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    return Number(line?.split(/\s+/)[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

async function measure(speed: number): Promise<{ readyS: number; cpuPct: number; rssMb: number; byProcess: string[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'citybay-bench-'));
  const started = performance.now();
  const stack = await startStack({ dataDir, isFresh: true, port: 0, speed, mode: 'dist' });
  const readyS = (performance.now() - started) / 1000;
  try {
    const pids = stack.children.map((c) => ({ name: c.name, pid: c.process.pid! }));
    pids.push({ name: 'start (this process)', pid: process.pid });
    const before = pids.map((p) => cpuSeconds(p.pid));
    await new Promise((r) => setTimeout(r, SAMPLE_MS));
    const used = pids.map((p, i) => cpuSeconds(p.pid) - before[i]!);
    const byProcess = pids.map(
      (p, i) => `${p.name}: ${((100 * used[i]!) / (SAMPLE_MS / 1000)).toFixed(1)} % CPU, ${rssMb(p.pid).toFixed(0)} MB`,
    );
    return {
      readyS,
      cpuPct: (100 * used.reduce((a, b) => a + b, 0)) / (SAMPLE_MS / 1000),
      rssMb: pids.reduce((sum, p) => sum + rssMb(p.pid), 0),
      byProcess,
    };
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const live = await measure(30);
const idle = await measure(0.01);
console.log(`demo stack (3 sites, 1,996 bays, 3 edges, central, twin), ${SAMPLE_MS / 1000} s windows`);
console.log(`  ready after ${live.readyS.toFixed(1)} s (fresh data dir, registration included)`);
console.log(`  twin at 30x:   ${live.cpuPct.toFixed(1)} % of one core in total, ${live.rssMb.toFixed(0)} MB RSS`);
for (const line of live.byProcess) console.log(`    ${line}`);
console.log(
  `  reference, twin at 0.01x (polling, sync, feed only): ${idle.cpuPct.toFixed(1)} % of one core, ${idle.rssMb.toFixed(0)} MB RSS`,
);
console.log(
  `  ratio live / reference CPU: ${(live.cpuPct / Math.max(0.1, idle.cpuPct)).toFixed(2)}; share of this 2-core machine used live: ${(live.cpuPct / 2).toFixed(1)} %`,
);
