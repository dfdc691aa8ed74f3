// Sync ingest benchmark: many simulated edges speaking the real protocol (500-bay summaries from
// SampleSite, batches of 10) against central on loopback, for SQLite and PostgreSQL, beside a plain
// fastify hello world measured in the same run as the ceiling.
import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { decodeSyncResponse, encodeSyncRequest } from '@citybay/proto';
import { SampleSite } from '@citybay/proto/testing';
import { basicAuthHeader, generateSecret } from '../src/io/credentials.js';

const EDGES = Number(process.env.BENCH_EDGES ?? 100);
const BATCH = 10;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const MAX_SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const PACED_SUMMARIES_PER_S = 1_000;
const PACED_SECONDS = Number(process.env.BENCH_PACED_SECONDS ?? 8);
const secret = generateSecret();

interface Server {
  url: string;
  child: ChildProcess;
}

function startServer(mode: string): Promise<Server> {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_PROFILE] : []),
      '--conditions=@citybay/source',
      '--import',
      'tsx',
      new URL('./bench-server.ts', import.meta.url).pathname,
      mode,
      String(EDGES),
      secret,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line.startsWith('{"ready"')) resolve({ url: (JSON.parse(line) as { ready: string }).ready, child });
    });
    child.once('exit', (code) => reject(new Error(`bench server (${mode}) exited with ${code}`)));
  });
}

async function stopServer(server: Server): Promise<void> {
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY * 2 });

function post(
  url: string,
  path: string,
  body: Uint8Array | undefined,
  headers: Record<string, string>,
): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method: body ? 'POST' : 'GET', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body ? Buffer.from(body.buffer, body.byteOffset, body.byteLength) : undefined);
  });
}

/** One simulated edge: its own site, secret and seq, batches generated ahead so the client stays cheap. */
class Edge {
  private readonly site: SampleSite;
  private nextSeq = 1;
  private startMs = 1_795_000_000_000;
  readonly auth: string;
  readonly queue: Uint8Array[] = [];
  constructor(readonly index: number) {
    this.site = new SampleSite({ bayCount: 500, seed: index + 1, siteId: `site-${index}`, edgeId: `edge-${index}` });
    this.auth = basicAuthHeader(this.site.edgeId, secret);
  }
  fill(batches: number): void {
    for (let i = 0; i < batches; i++) {
      this.queue.push(encodeSyncRequest(this.site.syncRequest(this.nextSeq, BATCH, 8, this.startMs)));
      this.nextSeq += BATCH;
      this.startMs += BATCH * 5_000;
    }
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

interface RunResult {
  summariesPerS: number;
  requestsPerS: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
}

/** Sends as fast as `CONCURRENCY` workers can (each edge keeps one batch in flight), or paced. */
async function runSync(url: string, edges: Edge[], seconds: number, pacedSummariesPerS?: number): Promise<RunResult> {
  const latencies: number[] = [];
  let summaries = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  let nextEdge = 0;
  const intervalMs = pacedSummariesPerS ? (1000 * BATCH) / pacedSummariesPerS : 0;
  let nextSendAt = start;
  const worker = async () => {
    while (performance.now() < deadline) {
      if (intervalMs > 0) {
        const at = nextSendAt;
        nextSendAt += intervalMs;
        const wait = at - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        if (performance.now() >= deadline) break;
      }
      const edge = edges[nextEdge++ % edges.length]!;
      const body = edge.queue.shift();
      if (!body) throw new Error('ran out of pre-generated batches: raise the pool');
      const sentAt = performance.now();
      const res = await post(url, '/v1/sync', body, {
        'content-type': 'application/x-protobuf',
        authorization: edge.auth,
      });
      latencies.push(performance.now() - sentAt);
      if (res.status !== 200) throw new Error(`sync answered ${res.status}: ${res.body.toString()}`);
      decodeSyncResponse(res.body);
      summaries += BATCH;
    }
  };
  // Each edge must send in order, so at most one worker per edge.
  const workers = pacedSummariesPerS ? 8 : Math.min(CONCURRENCY, edges.length);
  await Promise.all(Array.from({ length: workers }, worker));
  const elapsedS = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    summariesPerS: summaries / elapsedS,
    requestsPerS: latencies.length / elapsedS,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    requests: latencies.length,
  };
}

/** CPU seconds the server process has used so far (from its own Prometheus metrics). */
async function serverCpuS(url: string): Promise<number> {
  const res = await post(url, '/metrics', undefined, {});
  const match = /^process_cpu_seconds_total (\S+)$/m.exec(res.body.toString());
  return match ? Number(match[1]) : Number.NaN;
}

async function runHello(url: string, seconds: number): Promise<number> {
  let count = 0;
  const deadline = performance.now() + seconds * 1000;
  const start = performance.now();
  const worker = async () => {
    while (performance.now() < deadline) {
      await post(url, '/', undefined, {});
      count += 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return count / ((performance.now() - start) / 1000);
}

// Workers visit edges round-robin, so each edge gets at most one batch in flight only if edges ≥ workers.
function makeEdges(expectedRequests: number): Edge[] {
  const edges = Array.from({ length: EDGES }, (_, i) => new Edge(i));
  const perEdge = Math.ceil(expectedRequests / EDGES) + 5;
  for (const edge of edges) edge.fill(perEdge);
  return edges;
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<void> {
  if (EDGES < CONCURRENCY) throw new Error('BENCH_EDGES must be ≥ BENCH_CONCURRENCY (one batch in flight per edge)');
  console.log(
    `citybay central sync benchmark — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`,
  );
  console.log(
    `${EDGES} edges, 500-bay summaries, batches of ${BATCH}, ${CONCURRENCY} requests in flight; client and server in separate processes`,
  );
  // The machine may be shared: the load average says how far to trust the absolute figures.
  console.log(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const modes = (process.env.BENCH_STORES ?? 'sqlite,postgres').split(',');

  const hello = await startServer('hello');
  const helloRps = await runHello(hello.url, 4);
  await stopServer(hello);
  console.log(`\nceiling: plain fastify hello world            ${fmt(helloRps)} req/s`);

  const rows: string[] = [];
  for (const mode of modes) {
    const server = await startServer(mode);
    try {
      // Budget generously: 4,000 batches/s is far above what either store reaches here.
      const edges = makeEdges(4_000 * MAX_SECONDS + (PACED_SUMMARIES_PER_S / BATCH) * PACED_SECONDS + 100);
      await runSync(server.url, edges, 1); // warm-up: JIT, prepared statements, pool connections
      const cpuBefore = await serverCpuS(server.url);
      const max = await runSync(server.url, edges, MAX_SECONDS);
      const cpuPerBatchMs = (((await serverCpuS(server.url)) - cpuBefore) * 1000) / max.requests;
      const paced = await runSync(server.url, edges, PACED_SECONDS, PACED_SUMMARIES_PER_S);
      const target = mode === 'sqlite' ? 20_000 : 10_000;
      rows.push(
        `${mode.padEnd(9)} max: ${fmt(max.summariesPerS).padStart(7)} summaries/s (${fmt(max.requestsPerS)} req/s = ${fmt((100 * max.requestsPerS) / helloRps, 1)}% of hello world) ` +
          `p50 ${fmt(max.p50Ms, 1)} ms p99 ${fmt(max.p99Ms, 1)} ms; server CPU ${fmt(cpuPerBatchMs, 2)} ms per batch ` +
          `[target ≥ ${fmt(target)}: ${max.summariesPerS >= target ? 'met' : 'NOT met'}]`,
        `${mode.padEnd(9)} paced ${fmt(paced.summariesPerS)} summaries/s: p50 ${fmt(paced.p50Ms, 1)} ms p99 ${fmt(paced.p99Ms, 1)} ms [target p99 ≤ 50 ms: ${paced.p99Ms <= 50 ? 'met' : 'NOT met'}]`,
      );
      console.log(rows.at(-2));
      console.log(rows.at(-1));
    } finally {
      await stopServer(server);
    }
  }
  console.log(
    `load average at end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  agent.destroy();
}

await main();
