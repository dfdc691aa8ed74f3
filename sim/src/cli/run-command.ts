import { runScenario } from '../scenario/run-scenario.js';
import { runCommand } from './command.js';
import { ProgressBar } from './progress-bar.js';
import { loadScenario } from './scenario-loader.js';
import { kpiTable, writeResults } from './write-results.js';

const USAGE = `usage: citybay-sim run <scenario.yaml> --out <dir> [--policy <name>] [--seed <n>]
Runs one policy of a scenario and writes result.json, timeseries.csv, links.csv, kpis.csv and report.html.`;

export function runRunCommand(argv: string[]): Promise<number> {
  const options = { out: { type: 'string' }, policy: { type: 'string' }, seed: { type: 'string' } } as const;
  return runCommand(argv, { usage: USAGE, options, required: ['out'] }, (scenarioPath, values) => {
    const scenario = loadScenario(scenarioPath);
    const seed = values.seed === undefined ? undefined : Number(values.seed);
    if (seed !== undefined && !Number.isInteger(seed)) throw new Error(`--seed: "${values.seed}" is not an integer`);
    const bar = new ProgressBar(`${scenario.document.name} ${values.policy ?? ''}`.trim());
    const startedMs = performance.now();
    const result = runScenario(scenario, {
      ...(values.policy === undefined ? {} : { policyName: values.policy }),
      ...(seed === undefined ? {} : { seed }),
      onProgress: (fraction) => bar.update(fraction),
    });
    bar.done();
    const wallS = (performance.now() - startedMs) / 1000;
    writeResults(values.out, [result], `${result.scenario}: ${result.policy}`);
    console.log(kpiTable([result]));
    console.log(`${result.kpis.vehicleSteps} vehicle-steps in ${wallS.toFixed(2)} s; results in ${values.out}`);
    return 0;
  });
}
