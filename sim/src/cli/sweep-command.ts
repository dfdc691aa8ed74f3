import { createSimPool } from '../pool/sim-pool.js';
import type { ResolvedScenario, ScenarioResult } from '../scenario/run-scenario.js';
import { parseSeedList, parseThreadCount, parseWindow } from './cli-args.js';
import { printWarnings } from './print-warnings.js';
import { ProgressBar } from './progress-bar.js';
import { loadScenario } from './scenario-loader.js';
import { kpiTable } from '../report/kpi-table.js';
import { writeResults } from './write-results.js';
import { runCommand } from './command.js';
import type { SweepRun, SweepRunOptions } from '../queue/sweep-types.js';

const USAGE = `usage: citybay-sim sweep <scenario.yaml> --out <dir> [--policies a,b,...] [--seeds 1-4] [--threads n]
                          [--window HH:MM-HH:MM] [--cars]
                          [--queue postgres://… [--schema name] [--run-timeout s]]
Runs every policy × seed of a scenario in parallel on a worker-thread pool and writes one comparison report.
--cars also writes each run's cars.csv (per-car results; kept in memory for every run until the report is written).
--queue submits the runs to the sweep queue in that PostgreSQL database instead, for \`citybay-sim worker\` processes
  on any host to run, follows their progress and writes the same files (identical to a local sweep's).
  --schema: the queue's schema (default citybay_sim_queue); --run-timeout: seconds after which a run taken by a
  worker that vanished is given to another (default 300; must exceed the slowest run).
  Ctrl-C cancels the queued sweep.`;

interface Grid {
  scenario: ResolvedScenario;
  runs: SweepRun[];
  options: SweepRunOptions;
}

async function runOnPool(grid: Grid, threads: number | undefined): Promise<ScenarioResult[]> {
  const pool = createSimPool(threads === undefined ? {} : { maxThreads: threads });
  try {
    const bar = new ProgressBar(`sweep ${grid.runs.length} runs on ${pool.threads} threads`);
    bar.update(0);
    let finished = 0;
    const results = await Promise.all(
      grid.runs.map(async (run) => {
        const result = await pool.runScenario({ scenario: grid.scenario, options: { ...grid.options, ...run } });
        bar.update(++finished / grid.runs.length);
        return result;
      }),
    );
    bar.done();
    return results;
  } finally {
    await pool.destroy();
  }
}

async function runOnQueue(
  grid: Grid,
  queueOptions: { databaseUrl: string; schema: string | undefined; runTimeout: string | undefined },
): Promise<ScenarioResult[]> {
  // Loaded only here: a local sweep never loads pg or pg-boss.
  const { SimQueue, submitSweep, followSweep, endSweep } = await import('../queue/index.js');
  const runTimeoutS = queueOptions.runTimeout === undefined ? undefined : Number(queueOptions.runTimeout);
  const queue = await SimQueue.open({
    databaseUrl: queueOptions.databaseUrl,
    ...(queueOptions.schema === undefined ? {} : { schema: queueOptions.schema }),
  });
  let id: string | undefined;
  const cancel = () => {
    if (id === undefined) return;
    console.error(`\ncancelling sweep ${id}`);
    void endSweep(queue, id, { state: 'cancelled', error: 'cancelled from the command line (Ctrl-C)' }).finally(() =>
      process.exit(130),
    );
  };
  process.once('SIGINT', cancel);
  try {
    id = await submitSweep(queue, {
      ...grid,
      ...(runTimeoutS === undefined ? {} : { runTimeoutS }),
    });
    const bar = new ProgressBar(`sweep ${grid.runs.length} runs on queue (sweep ${id})`);
    bar.update(0);
    let isOutageShown = false;
    const results = await followSweep(queue, id, {
      onProgress: (fraction) => bar.update(fraction),
      onOutage: (err) => {
        if (!isOutageShown) console.error(`\nqueue database unreachable, waiting: ${err.message}`);
        isOutageShown = true;
      },
    });
    bar.done();
    return results;
  } finally {
    process.off('SIGINT', cancel);
    await queue.close();
  }
}

export function runSweepCommand(argv: string[]): Promise<number> {
  const options = {
    out: { type: 'string' },
    policies: { type: 'string' },
    seeds: { type: 'string' },
    threads: { type: 'string' },
    window: { type: 'string' },
    cars: { type: 'boolean' },
    queue: { type: 'string' },
    schema: { type: 'string' },
    'run-timeout': { type: 'string' },
  } as const;
  return runCommand(argv, { usage: USAGE, options, required: ['out'] }, async (scenarioPath, values) => {
    const scenario = loadScenario(scenarioPath);
    const known = scenario.document.policies.map((p) => p.name);
    const policies = values.policies === undefined ? known : values.policies.split(',');
    for (const name of policies) {
      if (!known.includes(name)) throw new Error(`--policies: unknown policy "${name}" (known: ${known.join(', ')})`);
    }
    const seeds = values.seeds === undefined ? [scenario.document.seed] : parseSeedList(values.seeds);
    const threads = values.threads === undefined ? undefined : parseThreadCount(values.threads);
    const queueWindow = values.window === undefined ? undefined : parseWindow(values.window);
    if (values.queue === undefined && (values.schema !== undefined || values['run-timeout'] !== undefined)) {
      throw new Error('--schema and --run-timeout go with --queue');
    }
    if (values.queue !== undefined && threads !== undefined) {
      throw new Error('--threads does not go with --queue: each worker has its own (citybay-sim worker --threads)');
    }
    const grid: Grid = {
      scenario,
      runs: policies.flatMap((policyName) => seeds.map((seed) => ({ policyName, seed }))),
      options: { ...(queueWindow === undefined ? {} : { queueWindow }), keepCars: values.cars === true },
    };
    const startedMs = performance.now();
    const results =
      values.queue === undefined
        ? await runOnPool(grid, threads)
        : await runOnQueue(grid, {
            databaseUrl: values.queue,
            schema: values.schema,
            runTimeout: values['run-timeout'],
          });
    // Policies may warn differently (signs nobody passes depend on the lots chosen): each warning once.
    const seen = new Set<string>();
    printWarnings(
      results
        .flatMap((r) => r.warnings)
        .filter((w) => !seen.has(`${w.code} ${w.path}`) && seen.add(`${w.code} ${w.path}`)),
    );
    const wallS = (performance.now() - startedMs) / 1000;
    writeResults(values.out, results, `${scenario.document.name}: policy comparison`);
    console.log(kpiTable(results));
    console.log(`${grid.runs.length} runs in ${wallS.toFixed(2)} s; report in ${values.out}/report.html`);
    return 0;
  });
}
