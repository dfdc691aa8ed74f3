import { parseArgs } from 'node:util';
import { isCitybayError } from '@citybay/common';
import { runScenario } from '../scenario/run-scenario.js';
import { ProgressBar } from './progress-bar.js';
import { loadScenario } from './scenario-loader.js';
import { kpiTable, writeResults } from './write-results.js';

const USAGE = `usage: citybay-sim run <scenario.yaml> --out <dir> [--policy <name>] [--seed <n>]
Runs one policy of a scenario and writes result.json, timeseries.csv, links.csv, kpis.csv and report.html.`;

export async function runRunCommand(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parse>;
  const parse = (a: string[]) =>
    parseArgs({
      args: a,
      allowPositionals: true,
      strict: true,
      options: {
        out: { type: 'string' },
        policy: { type: 'string' },
        seed: { type: 'string' },
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
  try {
    const scenario = loadScenario(scenarioPath);
    const seed = args.values.seed === undefined ? undefined : Number(args.values.seed);
    if (seed !== undefined && !Number.isInteger(seed)) throw new Error(`--seed: "${args.values.seed}" is not an integer`);
    const bar = new ProgressBar(`${scenario.document.name} ${args.values.policy ?? ''}`.trim());
    const startedMs = performance.now();
    const result = runScenario(scenario, {
      ...(args.values.policy === undefined ? {} : { policyName: args.values.policy }),
      ...(seed === undefined ? {} : { seed }),
      onProgress: (fraction) => bar.update(fraction),
    });
    bar.done();
    const wallS = (performance.now() - startedMs) / 1000;
    writeResults(args.values.out, [result], `${result.scenario}: ${result.policy}`);
    console.log(kpiTable([result]));
    console.log(`${result.kpis.vehicleSteps} vehicle-steps in ${wallS.toFixed(2)} s; results in ${args.values.out}`);
    return 0;
  } catch (err) {
    console.error(isCitybayError(err) ? `${err.code}: ${err.message}` : (err as Error).message);
    return 1;
  }
}
