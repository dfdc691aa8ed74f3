import { createSimPool } from '../pool/sim-pool.js';
import type { ScenarioResult } from '../scenario/run-scenario.js';
import { parseSeedList, parseThreadCount, parseWindow } from './cli-args.js';
import { printWarnings } from './print-warnings.js';
import { ProgressBar } from './progress-bar.js';
import { loadScenario } from './scenario-loader.js';
import { kpiTable, writeResults } from './write-results.js';
import { runCommand } from './command.js';

const USAGE = `usage: citybay-sim sweep <scenario.yaml> --out <dir> [--policies a,b,...] [--seeds 1-4] [--threads n]
                          [--window HH:MM-HH:MM] [--cars]
Runs every policy × seed of a scenario in parallel on a worker-thread pool and writes one comparison report.
--cars also writes each run's cars.csv (per-car results; kept in memory for every run until the report is written).`;

export function runSweepCommand(argv: string[]): Promise<number> {
  const options = {
    out: { type: 'string' },
    policies: { type: 'string' },
    seeds: { type: 'string' },
    threads: { type: 'string' },
    window: { type: 'string' },
    cars: { type: 'boolean' },
  } as const;
  return runCommand(argv, { usage: USAGE, options, required: ['out'] }, async (scenarioPath, values) => {
    let pool: ReturnType<typeof createSimPool> | undefined;
    try {
      const scenario = loadScenario(scenarioPath);
      const known = scenario.document.policies.map((p) => p.name);
      const policies = values.policies === undefined ? known : values.policies.split(',');
      for (const name of policies) {
        if (!known.includes(name)) throw new Error(`--policies: unknown policy "${name}" (known: ${known.join(', ')})`);
      }
      const seeds = values.seeds === undefined ? [scenario.document.seed] : parseSeedList(values.seeds);
      const threads = values.threads === undefined ? undefined : parseThreadCount(values.threads);
      const queueWindow = values.window === undefined ? undefined : parseWindow(values.window);
      const runOptions = { ...(queueWindow === undefined ? {} : { queueWindow }), keepCars: values.cars === true };
      pool = createSimPool(threads === undefined ? {} : { maxThreads: threads });
      const grid = policies.flatMap((policyName) => seeds.map((seed) => ({ policyName, seed, ...runOptions })));
      const bar = new ProgressBar(`sweep ${grid.length} runs on ${pool.threads} threads`);
      bar.update(0);
      let finished = 0;
      const startedMs = performance.now();
      const results: ScenarioResult[] = await Promise.all(
        grid.map(async (options) => {
          const result = await pool!.runScenario({ scenario, options });
          bar.update(++finished / grid.length);
          return result;
        }),
      );
      bar.done();
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
      console.log(`${grid.length} runs in ${wallS.toFixed(2)} s; report in ${values.out}/report.html`);
      return 0;
    } finally {
      await pool?.destroy();
    }
  });
}
