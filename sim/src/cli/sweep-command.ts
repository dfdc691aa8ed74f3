import { parseArgs } from 'node:util';
import { isCitybayError } from '@citybay/common';
import { createSimPool } from '../pool/sim-pool.js';
import type { ScenarioResult } from '../scenario/run-scenario.js';
import { parseSeedList } from './cli-args.js';
import { ProgressBar } from './progress-bar.js';
import { loadScenario } from './scenario-loader.js';
import { kpiTable, writeResults } from './write-results.js';

const USAGE = `usage: citybay-sim sweep <scenario.yaml> --out <dir> [--policies a,b,...] [--seeds 1-4] [--threads n]
Runs every policy × seed of a scenario in parallel on a worker-thread pool and writes one comparison report.`;

export async function runSweepCommand(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parse>;
  const parse = (a: string[]) =>
    parseArgs({
      args: a,
      allowPositionals: true,
      strict: true,
      options: {
        out: { type: 'string' },
        policies: { type: 'string' },
        seeds: { type: 'string' },
        threads: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  try {
    args = parse(argv);
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const scenarioPath = args.positionals[0];
  if (args.values.help === true || scenarioPath === undefined || args.values.out === undefined) {
    console.error(USAGE);
    return args.values.help === true ? 0 : 2;
  }
  let pool: ReturnType<typeof createSimPool> | undefined;
  try {
    const scenario = loadScenario(scenarioPath);
    const known = scenario.document.policies.map((p) => p.name);
    const policies = args.values.policies === undefined ? known : args.values.policies.split(',');
    for (const name of policies) {
      if (!known.includes(name)) throw new Error(`--policies: unknown policy "${name}" (known: ${known.join(', ')})`);
    }
    const seeds = args.values.seeds === undefined ? [scenario.document.seed] : parseSeedList(args.values.seeds);
    const threads = args.values.threads === undefined ? undefined : Number(args.values.threads);
    pool = createSimPool(threads === undefined ? {} : { maxThreads: threads });
    const grid = policies.flatMap((policyName) => seeds.map((seed) => ({ policyName, seed })));
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
    const wallS = (performance.now() - startedMs) / 1000;
    writeResults(args.values.out, results, `${scenario.document.name}: policy comparison`);
    console.log(kpiTable(results));
    console.log(`${grid.length} runs in ${wallS.toFixed(2)} s; report in ${args.values.out}/report.html`);
    return 0;
  } catch (err) {
    console.error(isCitybayError(err) ? `${err.code}: ${err.message}` : (err as Error).message);
    return 1;
  } finally {
    await pool?.destroy();
  }
}
