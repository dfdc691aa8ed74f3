// The client side of the sync benchmarks: simulated edges speaking the real protocol (500-bay summaries from
// SampleSite, batches of 10) to a bench server running in its own process, so client and server do not share an
// event loop.
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { decodeSyncResponse, encodeSyncRequest } from '@citybay/proto';
import { SampleSite } from '@citybay/proto/testing';
import { basicAuthHeader, generateSecret } from '../src/io/credentials.js';

export const EDGES = Number(process.env.BENCH_EDGES ?? 100);
export const BATCH = 10;
export const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const secret = generateSecret();

export interface Server {
  url: string;
  child: ChildProcess;
}

/**
 * Starts `bench-server.ts` in `mode` (`hello`, `sqlite`, `postgres`). `centralDir` picks whose server: this
 * checkout's by default, or another checkout's central folder to compare with (run from that checkout's root, so
 * it resolves its own packages).
 */
export function startServer(mode: string, centralDir = new URL('..', import.meta.url).pathname): Promise<Server> {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_PROFILE] : []),
      '--conditions=@citybay/source',
      '--import',
      'tsx',
      `${centralDir}/bench/bench-server.ts`,
      mode,
      String(EDGES),
      secret,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], cwd: `${centralDir}/..` },
  );
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line.startsWith('{"ready"')) resolve({ url: (JSON.parse(line) as { ready: string }).ready, child });
    });
    child.once('exit', (code) => reject(new Error(`bench server (${mode}, ${centralDir}) exited with ${code}`)));
  });
}

export async function stopServer(server: Server): Promise<void> {
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

/**
 * CPU seconds a server process has used so far, summed over its threads from the kernel's nanosecond scheduler
 * statistics: the same reading for any checkout, whatever its metrics are named.
 */
export function serverCpuS(server: Server): number {
  const taskDir = `/proc/${server.child.pid}/task`;
  let ns = 0;
  for (const task of readdirSync(taskDir)) {
    try {
      ns += Number(readFileSync(`${taskDir}/${task}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // A thread that ended between the listing and the read has no CPU to add.
    }
  }
  return ns / 1e9;
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY * 2 });

/** Closes the client's kept-alive connections, so the process can end. */
export const closeClient = () => agent.destroy();

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
export class Edge {
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

export interface RunResult {
  summariesPerS: number;
  requestsPerS: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
}

/** Sends as fast as `CONCURRENCY` workers can (each edge keeps one batch in flight), or paced. */
export async function runSync(
  url: string,
  edges: Edge[],
  seconds: number,
  pacedSummariesPerS?: number,
): Promise<RunResult> {
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

export async function runHello(url: string, seconds: number): Promise<number> {
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

/** Edges with enough batches queued for `expectedRequests`; workers visit them round-robin, one batch in flight each. */
export function makeEdges(expectedRequests: number): Edge[] {
  const edges = Array.from({ length: EDGES }, (_, i) => new Edge(i));
  const perEdge = Math.ceil(expectedRequests / EDGES) + 5;
  for (const edge of edges) edge.fill(perEdge);
  return edges;
}

export const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });
