// Benchmark of the PostgreSQL sweep queue on hospital-district runs (4 policies × seeds).
//
// (1) The queue's overhead per run against a local pool, in the same process on the same warm 1-thread pool: 16 runs
//     straight on the pool, then 16 runs through the queue (submit, a `QueueWorker` taking them onto that pool,
//     gzip and store each result, complete the job, poll, read and decode), alternating; the overhead is the median
//     of the paired differences per run. Same pool, same process: only the queue differs.
//     A worker takes short runs in batches (queue-worker.ts): the instant pool's runs are batched, the district's
//     (hundreds of ms) are taken one at a time, as in production.
// (2) A 128-run sweep taken by 1 and by 2 `citybay-sim worker` processes (1 thread each, warm: started and given a
//     warm-up sweep first): the speed-up of a second worker (target ×≥1.8 on 2 cores). In the same rounds, as the
//     reference, the same sweep on an in-process pool of 1 and of 2 threads without any queue: what a second core
//     gives the simulation itself on this machine, which bounds what a second worker process can give.
// (3) The deployment shape: 2 workers in network namespaces of their own (hosts of their own, as root), talking to
//     PostgreSQL over a veth pair each. The shared test server listens on loopback only, so a socat relay on the host
// end of each veth forwards to it: the workers' traffic crosses the veth, the relay adds one loopback hop.
//
// Every path must give identical results (SHA-256 of the results' JSON). Rounds rotate the order of the paths, so
// the VM's speed drift falls on all alike; figures are medians over rounds.
//
// It measures the built package (`npm run build` first), as `citybay-sim worker` runs in production.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { ScenarioResult } from '../src/index.js';
import type { SimQueue as QueueHandle } from '../src/queue/index.js';
import { medianWithInterval } from '@citybay/common/testing';

const built = new URL('../dist/', import.meta.url);
if (!existsSync(new URL('queue/index.js', built))) {
  console.error('queue-sweep: sim/dist is missing; run `npm run build` first');
  process.exit(1);
}
const { createSimPool } = (await import(new URL('index.js', built).href)) as typeof import('../src/index.js');
const { loadScenario } = (await import(
  new URL('cli/scenario-loader.js', built).href
)) as typeof import('../src/cli/scenario-loader.js');
const queueApi = (await import(new URL('queue/index.js', built).href)) as typeof import('../src/queue/index.js');
const { SimQueue, submitSweep, followSweep, QueueWorker } = queueApi;

const DATABASE_URL = process.env.CITYBAY_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ROUNDS = Number(process.env.CB_BENCH_ROUNDS ?? 3);
const OVERHEAD_ROUNDS = Number(process.env.CB_BENCH_OVERHEAD_ROUNDS ?? 8);
const IS_NETNS = process.env.CB_BENCH_NETNS !== '0';
const CLI = new URL('cli/citybay-sim.js', built).pathname;
const scenario = loadScenario(new URL('../scenarios/hospital-district/scenario.yaml', import.meta.url).pathname);
const policies = ['baseline', 'signs', 'shared-lots', 'spread'];
const gridOf = (seeds: number, first: number) =>
  policies.flatMap((policyName) => Array.from({ length: seeds }, (_, i) => ({ policyName, seed: first + i })));
const grid = gridOf(32, 1);
const warmUpGrid = gridOf(8, 1001);
const tag = `${process.pid % 10000}${randomBytes(1).toString('hex')}`;
const overheadGrid = gridOf(4, 2001);
const schemas = {
  overhead: `qbench_oh_${tag}`,
  one: `qbench_one_${tag}`,
  two: `qbench_two_${tag}`,
  netns: `qbench_ns_${tag}`,
};

const digest = (results: ScenarioResult[]) => createHash('sha256').update(JSON.stringify(results)).digest('hex');
interface Timed {
  digest: string;
  wallS: number;
}

const children: ChildProcess[] = [];
const cleanups: (() => void)[] = [];
/** Kills what the bench started and deletes its namespaces (synchronously, so it also runs on a signal). */
function cleanUp(): void {
  for (const child of children) child.kill('SIGKILL');
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      cleanup();
    } catch {
      // best effort: the namespace may be gone already
    }
  }
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    cleanUp();
    process.exit(130);
  });
}

/** A warm-to-be worker process (1 thread); resolves once it takes runs. */
async function startWorker(schema: string, databaseUrl: string, netns?: string): Promise<ChildProcess> {
  const args = [CLI, 'worker', '--database-url', databaseUrl, '--schema', schema, '--threads', '1', '--quiet'];
  const child = netns
    ? spawn('ip', ['netns', 'exec', netns, process.execPath, ...args], { stdio: ['ignore', 'ignore', 'pipe'] })
    : spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let text = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('taking runs')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`worker exited ${code}: ${text}`)));
  });
  return child;
}

/** A network namespace with a veth pair to this host and a socat relay to PostgreSQL on the host end. */
function makeHost(index: number): { netns: string; databaseUrl: string } {
  const netns = `cbq${tag}${index}`;
  const [hostIf, nsIf] = [`cbq${tag}h${index}`, `cbq${tag}n${index}`];
  const [hostIp, nsIp] = [`10.231.${index}.1`, `10.231.${index}.2`];
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
  ip('netns', 'add', netns);
  cleanups.push(() => ip('netns', 'del', netns));
  ip('link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf);
  ip('link', 'set', nsIf, 'netns', netns);
  ip('addr', 'add', `${hostIp}/30`, 'dev', hostIf);
  ip('link', 'set', hostIf, 'up');
  ip('-n', netns, 'addr', 'add', `${nsIp}/30`, 'dev', nsIf);
  ip('-n', netns, 'link', 'set', nsIf, 'up');
  ip('-n', netns, 'link', 'set', 'lo', 'up');
  const relay = spawn('socat', [`TCP-LISTEN:5432,bind=${hostIp},fork,reuseaddr`, 'TCP:127.0.0.1:5432'], {
    stdio: 'ignore',
  });
  children.push(relay);
  const url = new URL(DATABASE_URL);
  url.hostname = hostIp;
  url.port = '5432';
  return { netns, databaseUrl: url.href };
}

async function onQueue(queue: QueueHandle, runs = grid): Promise<Timed> {
  const started = performance.now();
  const id = await submitSweep(queue, { scenario, runs, options: { keepCars: false } });
  const results = await followSweep(queue, id, { pollMs: 20 });
  return { wallS: (performance.now() - started) / 1000, digest: digest(results) };
}

const pool = createSimPool({ maxThreads: 1 });
const instantGrid = gridOf(16, 3001);
const queueAlone: { wallMs: number; cpuMs: number }[] = [];
/** Ends the bench early (CB_BENCH_ONLY_OVERHEAD=1) through its cleanup. */
class Done extends Error {}
async function onPoolResults(runs: typeof grid): Promise<ScenarioResult[]> {
  return Promise.all(runs.map((run) => pool.runScenario({ scenario, options: { keepCars: false, ...run } })));
}
async function onPool(runs = grid, on = pool): Promise<Timed> {
  const started = performance.now();
  const results = await Promise.all(
    runs.map((run) => on.runScenario({ scenario, options: { keepCars: false, ...run } })),
  );
  return { wallS: (performance.now() - started) / 1000, digest: digest(results) };
}

const queues: Record<string, QueueHandle> = {};
const timed: Record<string, Timed[]> = {
  local: [],
  viaQueue: [],
  one: [],
  two: [],
  netns: [],
  localOne: [],
  localTwo: [],
};
// The reference for (2): the same sweep on an in-process pool of 1 and of 2 threads, no queue, in the same rounds.
// What a second core gives the simulation itself on this machine bounds what a second worker process can give.
const pool2 = createSimPool({ maxThreads: 2 });
const loadAtStart = loadavg()[0]!;
try {
  console.log(
    `Sweep of ${grid.length} hospital-district runs; ${availableParallelism()} CPUs, load average ${loadavg()[0]!.toFixed(1)}; ${ROUNDS} rounds.`,
  );
  for (const [name, schema] of Object.entries(schemas)) {
    if (name !== 'netns' || IS_NETNS) queues[name] = await SimQueue.open({ databaseUrl: DATABASE_URL, schema });
  }
  // (1) Overhead: the queue's worker in this process, on the very pool the local path uses.
  await onPool(warmUpGrid);
  const inProcess = new QueueWorker({ queue: queues.overhead!, pool, idlePollMs: 20 });
  inProcess.start();
  await onQueue(queues.overhead!, warmUpGrid);
  for (let round = 0; round < OVERHEAD_ROUNDS; round++) {
    const pair = [
      async () => timed.local!.push(await onPool(overheadGrid)),
      async () => timed.viaQueue!.push(await onQueue(queues.overhead!, overheadGrid)),
    ];
    for (let k = 0; k < 2; k++) await pair[(round + k) % 2]!();
  }
  await inProcess.stop(10_000);
  // (1b) The queue alone: a pool that answers every run at once with a result computed beforehand (a real district
  // result, ~20 kB of JSON), so the figure is the queue's own time per run, simulation excluded: submit, take, gzip,
  // store, complete, poll, read, gunzip. Less sensitive to a busy machine than a difference of two sweeps.
  const [cannedResult] = (await onPoolResults([grid[0]!]))!;
  const instantPool = { ...pool, threads: 1, runScenario: () => Promise.resolve(cannedResult!) };
  const instant = new QueueWorker({ queue: queues.overhead!, pool: instantPool, idlePollMs: 20 });
  instant.start();
  for (let round = 0; round < OVERHEAD_ROUNDS; round++) {
    const cpu = process.cpuUsage();
    const t = await onQueue(queues.overhead!, instantGrid);
    const used = process.cpuUsage(cpu);
    queueAlone.push({
      wallMs: (t.wallS * 1000) / instantGrid.length,
      cpuMs: (used.user + used.system) / 1000 / instantGrid.length,
    });
  }
  await instant.stop(10_000);
  if (process.env.CB_BENCH_ONLY_OVERHEAD === '1') throw new Done();
  // (2) and (3): worker processes.
  await startWorker(schemas.one, DATABASE_URL);
  await Promise.all([startWorker(schemas.two, DATABASE_URL), startWorker(schemas.two, DATABASE_URL)]);
  if (IS_NETNS) {
    const hosts = [makeHost(1), makeHost(2)];
    await Promise.all(hosts.map((host) => startWorker(schemas.netns, host.databaseUrl, host.netns)));
  }
  // Untimed warm-up: every worker compiles the model and grows its young generation.
  for (const [name, queue] of Object.entries(queues)) if (name !== 'overhead') await onQueue(queue, warmUpGrid);
  for (let k = 0; k < 2; k++) await onPool(warmUpGrid, pool2);
  const paths: [string, () => Promise<Timed>][] = [
    ['one', () => onQueue(queues.one!)],
    ['two', () => onQueue(queues.two!)],
    ['localOne', () => onPool(grid, pool)],
    ['localTwo', () => onPool(grid, pool2)],
    ...(IS_NETNS ? [['netns', () => onQueue(queues.netns!)] as [string, () => Promise<Timed>]] : []),
  ];
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < paths.length; k++) {
      const [name, run] = paths[(round + k) % paths.length]!;
      await sleep(200);
      timed[name]!.push(await run());
    }
  }
} catch (err) {
  if (!(err instanceof Done)) throw err;
} finally {
  await pool.destroy();
  await pool2.destroy();
  for (const queue of Object.values(queues)) await queue.close().catch(() => undefined);
  for (const child of children) child.kill('SIGTERM');
  await sleep(1_000);
  cleanUp();
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  for (const schema of Object.values(schemas)) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
}

const wall = (name: string) => medianWithInterval(timed[name]!.map((t) => t.wallS)).median;
const ratios = (a: string, b: string) => timed[a]!.map((t, i) => t.wallS / timed[b]![i]!.wallS);
const span = (values: number[]) => {
  const { median, low, high } = medianWithInterval(values);
  return `×${median.toFixed(2)} (rounds ×${low.toFixed(2)}–×${high.toFixed(2)})`;
};
const perRunMs = (list: Timed[]) => list.map((t) => (t.wallS * 1000) / overheadGrid.length);
const overheadMs = timed.viaQueue!.map((t, i) => perRunMs([t])[0]! - perRunMs([timed.local![i]!])[0]!);
const overhead = medianWithInterval(overheadMs);
console.log(
  `(1) queue overhead per run, same process and pool (median of ${OVERHEAD_ROUNDS} pairs of ${overheadGrid.length}-run sweeps): ` +
    `${overhead.median.toFixed(1)} ms (95% CI ${overhead.low.toFixed(1)}–${overhead.high.toFixed(1)} ms) on runs of ` +
    `${medianWithInterval(perRunMs(timed.local!)).median.toFixed(0)} ms on the local pool`,
);
const alone = (key: 'wallMs' | 'cpuMs') => medianWithInterval(queueAlone.map((q) => q[key])).median.toFixed(1);
console.log(
  `(1b) the queue alone per run (instant pool, ${OVERHEAD_ROUNDS} sweeps of ${instantGrid.length} runs, median): ` +
    `${alone('wallMs')} ms wall, ${alone('cpuMs')} ms CPU of this process (submitter and worker; PostgreSQL's not counted)`,
);
if (timed.one!.length === 0) process.exit(0);
const speedUp = medianWithInterval(ratios('one', 'two')).median;
console.log(`(2) queue, 1 worker process (warm)      ${wall('one').toFixed(2)} s`);
console.log(`    queue, 2 worker processes (warm)    ${wall('two').toFixed(2)} s`);
if (IS_NETNS) console.log(`(3) queue, 2 workers in own netns/veth  ${wall('netns').toFixed(2)} s`);
console.log(`speed-up of a second worker process: ${span(ratios('one', 'two'))} (target ≥ 1.8 on 2 cores)`);
if (IS_NETNS) console.log(`2 workers over veth vs on the host: ${span(ratios('two', 'netns'))}`);
const ceiling = medianWithInterval(ratios('localOne', 'localTwo')).median;
console.log(
  `reference, the same sweep on an in-process pool, no queue: 1 thread ${wall('localOne').toFixed(2)} s, 2 threads ` +
    `${wall('localTwo').toFixed(2)} s, ${span(ratios('localOne', 'localTwo'))}: what a second core gives the simulation ` +
    `on this machine; the queue's second worker reaches ${((100 * (speedUp - 1)) / (ceiling - 1)).toFixed(0)}% of that gain`,
);
const sameRuns = (list: Timed[]) => list.every((t) => t.digest === list[0]!.digest);
const isIdentical =
  sameRuns([...timed.local!, ...timed.viaQueue!]) &&
  sameRuns([...timed.one!, ...timed.two!, ...timed.netns!, ...timed.localOne!, ...timed.localTwo!]);
console.log(`results identical on every path and round: ${isIdentical}; load average now ${loadavg()[0]!.toFixed(1)}`);
// The figure issue 19 asks for, on one line: it means something only on a quiet machine (load well under 1).
console.log(
  `FIGURE queue-sweep speed-up, 2 vs 1 worker processes, ${grid.length} district runs: ×${speedUp.toFixed(2)} ` +
    `(target ≥ 1.8: ${speedUp >= 1.8 ? 'met' : 'not met'}; the in-process pool's 2 vs 1 threads ×${ceiling.toFixed(2)} in the same rounds; ${ROUNDS} rounds; load average ${loadAtStart.toFixed(1)} at start, ` +
    `${loadavg()[0]!.toFixed(1)} at end${loadAtStart > 1 ? ': NOT a quiet machine' : ''}; results identical: ${isIdentical})`,
);
