// The hospital district against SUMO 1.15 micro (issue 15: a what-if answer is trusted only where the simulator agrees
// with the reference on the user's own network). Per policy and seed, citybay runs the scenario and `export-sumo`'s
// output of the same run (the same cars, routes, lots and lot choices, gates as barriers) runs in SUMO with
// queue-output every 10 s, as citybay samples. Printed per policy, means over the seeds: the approach queue (the
// scenario's `approach` branches, each the sum of its edges' longest-lane queues; max, p95, mean over the period),
// the edges with the longest queues on either side, and SUMO's teleports. SUMO's queue here is its queue-output
// (`queueing_length`, the experimental one where longer), not the FCD chain benchmarks (a)–(c) hold citybay to: a
// district run has ~14,000 cars over 7 h, too much FCD. Env: CB_DISTRICT_SCENARIO (default the hospital district),
// CB_DISTRICT_POLICIES (default baseline,combined), CB_DISTRICT_SEEDS (default the scenario's seed and the next two).
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { loadScenario } from '../src/cli/scenario-loader.js';
import { percentile } from '../src/report/kpis.js';
import { parseClockMin } from '../src/scenario/clock-time.js';
import { prepareScenarioRun, runScenario } from '../src/scenario/run-scenario.js';
import { runSumo, writeSumoInputs, type SumoRun } from './traffic-sumo-support.js';

const scenarioPath = resolve(
  process.env.CB_DISTRICT_SCENARIO ?? new URL('../scenarios/hospital-district/scenario.yaml', import.meta.url).pathname,
);
const scenario = loadScenario(scenarioPath);
const policies = (process.env.CB_DISTRICT_POLICIES ?? 'baseline,combined').split(',');
const baseSeed = scenario.document.seed ?? 1;
const seeds = (process.env.CB_DISTRICT_SEEDS ?? `${baseSeed},${baseSeed + 1},${baseSeed + 2}`).split(',').map(Number);
const branches = scenario.document.approach ?? [];
if (branches.length === 0) throw new Error(`${scenarioPath}: the scenario names no approach branches`);
const netSource = resolve(dirname(scenarioPath), scenario.document.network);

// SUMO runs the whole period (export-sumo's begin/end): citybay's queue figures over the same window (the period
// passed the scenario's validation, so both clocks parse).
const queueWindow = {
  fromS: parseClockMin(scenario.document.period.from)! * 60,
  toS: parseClockMin(scenario.document.period.to)! * 60,
};
const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
const pct = (ours: number, theirs: number): string =>
  theirs > 0 ? `${(((ours - theirs) / theirs) * 100).toFixed(1)}%` : '—';

interface Side {
  maxM: number[];
  p95M: number[];
  meanM: number[];
  edgeMaxM: Map<string, number[]>;
}
const emptySide = (): Side => ({ maxM: [], p95M: [], meanM: [], edgeMaxM: new Map() });
const addEdge = (side: Side, edge: string, queueM: number) => {
  const list = side.edgeMaxM.get(edge) ?? [];
  list.push(queueM);
  side.edgeMaxM.set(edge, list);
};

console.log(
  `district vs SUMO 1.15 micro: ${scenario.document.name}, policies ${policies.join(', ')}, seeds ${seeds.join(', ')}`,
);
for (const policyName of policies) {
  const ours = emptySide();
  const sumo = emptySide();
  let teleports = 0;
  let sumoWallS = 0;
  let oursWallS = 0;
  for (const seed of seeds) {
    const started = performance.now();
    const result = runScenario(scenario, { policyName, seed, queueWindow });
    oursWallS += (performance.now() - started) / 1000;
    ours.maxM.push(result.kpis.windowQueueMaxM);
    ours.p95M.push(result.kpis.windowQueueP95M);
    ours.meanM.push(result.kpis.windowQueueMeanM);
    for (const link of result.links) addEdge(ours, link.edgeId, link.maxQueueM);

    const dir = mkdtempSync(join(tmpdir(), 'cb-district-sumo-'));
    try {
      copyFileSync(netSource, join(dir, 'source.net.xml'));
      writeSumoInputs(dir, prepareScenarioRun(scenario, { policyName, seed }), 'source.net.xml');
      const run: SumoRun = runSumo(dir, { approachBranches: branches.map((b) => [...b]) });
      sumoWallS += run.wallS;
      teleports += run.teleports;
      sumo.maxM.push(run.maxApproachQueueM);
      sumo.p95M.push(percentile(run.approachSamplesM, 0.95));
      sumo.meanM.push(mean(run.approachSamplesM));
      for (const [edge, queueM] of run.edgeMaxQueueM) addEdge(sumo, edge, queueM);
    } finally {
      if (process.env.CB_BENCH_KEEP === '1') console.log(`kept ${dir}`);
      else rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(
    `\n${policyName}: citybay ${oursWallS.toFixed(1)} s, SUMO micro ${sumoWallS.toFixed(1)} s wall for ${seeds.length} runs; SUMO teleports ${teleports}`,
  );
  for (const [name, a, b] of [
    ['approach queue max', ours.maxM, sumo.maxM],
    ['approach queue p95', ours.p95M, sumo.p95M],
    ['approach queue mean', ours.meanM, sumo.meanM],
  ] as const) {
    console.log(
      `  ${name.padEnd(20)} citybay ${mean(a).toFixed(1).padStart(7)} m | SUMO ${mean(b).toFixed(1).padStart(7)} m  ${pct(mean(a), mean(b)).padStart(7)}`,
    );
  }
  const approachEdges = new Set(branches.flat());
  const edges = [...approachEdges].sort(
    (x, y) => mean(sumo.edgeMaxM.get(y) ?? [0]) - mean(sumo.edgeMaxM.get(x) ?? [0]),
  );
  for (const edge of edges) {
    const a = mean(ours.edgeMaxM.get(edge) ?? [0]);
    const b = mean(sumo.edgeMaxM.get(edge) ?? [0]);
    if (a === 0 && b === 0) continue;
    console.log(
      `    ${edge.padEnd(18)} max citybay ${a.toFixed(1).padStart(7)} m | SUMO ${b.toFixed(1).padStart(7)} m  ${pct(a, b).padStart(7)}`,
    );
  }
}
