/**
 * What the `npm start` stack costs on this machine: time to ready, then (once the closed-loop twin has booked its cars
 * with central and its window runs) CPU and memory of every process over a sampling window, with the twin stepping
 * the peak live at 30× and — the reference, same run — with it crawling at 0.01× (polling, sync and the live feed
 * only). Needs a build (`npm run build`): it runs the built processes.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
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

/** Polls central's dashboard state until the twin reports its window running (booking done), with a deadline. */
async function twinRunning(centralUrl: string): Promise<void> {
  const deadlineMs = Date.now() + 300_000;
  while (Date.now() < deadlineMs) {
    try {
      const state = (await (await fetch(`${centralUrl}/v1/dashboard/state`)).json()) as {
        twin: { isRunning: boolean; simTimeS: number; fromS: number } | null;
      };
      if (state.twin?.isRunning === true) return;
    } catch {
      // central busy: ask again
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the twin did not start its window within 300 s');
}

async function measure(
  speed: number,
): Promise<{ readyS: number; runningS: number; cpuPct: number; rssMb: number; byProcess: string[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'citybay-bench-'));
  const started = performance.now();
  const stack = await startStack({ dataDir, isFresh: true, port: 0, speed, mode: 'dist' });
  const readyS = (performance.now() - started) / 1000;
  try {
    await twinRunning(stack.centralUrl);
    const runningS = (performance.now() - started) / 1000;
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
      runningS,
      cpuPct: (100 * used.reduce((a, b) => a + b, 0)) / (SAMPLE_MS / 1000),
      rssMb: pids.reduce((sum, p) => sum + rssMb(p.pid), 0),
      byProcess,
    };
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const loadBefore = loadavg()
  .map((l) => l.toFixed(1))
  .join(' ');
const live = await measure(30);
const idle = await measure(0.01);
console.log(
  `demo stack (3 sites, 1,996 bays, 3 edges, central, twin), ${SAMPLE_MS / 1000} s windows; load average ${loadBefore} before, ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} after`,
);
console.log(
  `  ready after ${live.readyS.toFixed(1)} s (fresh data dir, registration included); the twin's window running after ${live.runningS.toFixed(1)} s (its cars booked with central)`,
);
console.log(`  twin at 30x:   ${live.cpuPct.toFixed(1)} % of one core in total, ${live.rssMb.toFixed(0)} MB RSS`);
for (const line of live.byProcess) console.log(`    ${line}`);
console.log(
  `  reference, twin at 0.01x (polling, sync, feed only): ${idle.cpuPct.toFixed(1)} % of one core, ${idle.rssMb.toFixed(0)} MB RSS`,
);
console.log(
  `  ratio live / reference CPU: ${(live.cpuPct / Math.max(0.1, idle.cpuPct)).toFixed(2)}; share of this 2-core machine used live: ${(live.cpuPct / 2).toFixed(1)} %`,
);
