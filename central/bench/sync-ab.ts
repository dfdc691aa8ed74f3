// Ingest of this checkout against another one (issue 18: "ingest within 5% of before"), over HTTP as edges send it.
// One throughput run against a second one minutes later says little on a shared machine, whose speed swings by
// tens of percent from one second to the next. So both servers run side by side and take short load phases in
// alternating order (ABBA), each round giving a ratio; the figure is the median ratio with a distribution-free 95%
// confidence interval, for throughput and for the server's CPU per batch.
import { medianWithInterval } from '@citybay/common/testing';
import {
  EDGES,
  type Edge,
  fmt,
  makeEdges,
  runSync,
  type Server,
  serverCpuS,
  startServer,
  stopServer,
} from './sync-client.js';

const ROUNDS = Number(process.env.BENCH_AB_ROUNDS ?? 16);
const PHASE_S = Number(process.env.BENCH_AB_SECONDS ?? 2);
/** Batches per second budgeted per phase: above what either store reaches on this machine. */
const BUDGET_PER_S = 3_000;

interface Side {
  server: Server;
  edges: Edge[];
}

async function phase(side: Side): Promise<{ summariesPerS: number; cpuMsPerBatch: number }> {
  const perEdge = Math.ceil((BUDGET_PER_S * PHASE_S) / EDGES) + 5;
  for (const edge of side.edges) if (edge.queue.length < perEdge) edge.fill(perEdge - edge.queue.length);
  const cpuBefore = serverCpuS(side.server);
  const run = await runSync(side.server.url, side.edges, PHASE_S);
  return {
    summariesPerS: run.summariesPerS,
    cpuMsPerBatch: ((serverCpuS(side.server) - cpuBefore) * 1000) / run.requests,
  };
}

const interval = (ratios: number[]) => {
  const { median, low, high } = medianWithInterval(ratios);
  return { median, text: `×${median.toFixed(3)} (95% CI ×${low.toFixed(3)}–${high.toFixed(3)})` };
};

/** Prints the A/B of `mode` (`sqlite` or `postgres`) against the central folder `againstDir`; returns the line. */
export async function compareWith(againstDir: string, mode: string): Promise<string> {
  const sides: Side[] = [];
  try {
    for (const dir of [undefined, againstDir]) {
      const server = await startServer(mode, dir);
      const edges = makeEdges(0);
      sides.push({ server, edges });
      await phase({ server, edges }); // warm-up: JIT, prepared statements, pool connections
    }
    const throughput: number[] = [];
    const cpu: number[] = [];
    const here: number[] = [];
    const other: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 4 === 0 || r % 4 === 3 ? [0, 1] : [1, 0];
      const result: { summariesPerS: number; cpuMsPerBatch: number }[] = [];
      for (const s of order) result[s] = await phase(sides[s]!);
      throughput.push(result[0]!.summariesPerS / result[1]!.summariesPerS);
      cpu.push(result[0]!.cpuMsPerBatch / result[1]!.cpuMsPerBatch);
      here.push(result[0]!.summariesPerS);
      other.push(result[1]!.summariesPerS);
    }
    const t = interval(throughput);
    const c = interval(cpu);
    const line =
      `${mode.padEnd(9)} this vs before, ${ROUNDS} alternating rounds of ${PHASE_S} s: throughput ${t.text}, ` +
      `server CPU per batch ${c.text}; medians ${fmt(medianWithInterval(here).median)} vs ` +
      `${fmt(medianWithInterval(other).median)} summaries/s [target: throughput ≥ ×0.95 of before: ${t.median >= 0.95 ? 'met' : 'NOT met'}]`;
    console.log(line);
    return line;
  } finally {
    for (const side of sides) await stopServer(side.server);
  }
}
