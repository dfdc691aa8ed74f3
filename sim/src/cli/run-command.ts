import { runScenario } from '../scenario/run-scenario.js';
import { parseWindow } from './cli-args.js';
import { runCommand } from './command.js';
import { printWarnings } from './print-warnings.js';
import { ProgressBar } from './progress-bar.js';
import { loadScenario } from './scenario-loader.js';
import { kpiTable } from '../report/kpi-table.js';
import { writeResults } from './write-results.js';

const USAGE = `usage: citybay-sim run <scenario.yaml> --out <dir> [--policy <name>] [--seed <n>] [--window HH:MM-HH:MM]
Runs one policy of a scenario and writes result.json, timeseries.csv, links.csv, flows.csv, queues.csv, per-hour.csv,
cars.csv, kpis.csv and report.html. --window: the queue mean/p95/max window (default the scenario's report.window,
else the period).`;

export function runRunCommand(argv: string[]): Promise<number> {
  const options = {
    out: { type: 'string' },
    policy: { type: 'string' },
    seed: { type: 'string' },
    window: { type: 'string' },
  } as const;
  return runCommand(argv, { usage: USAGE, options, required: ['out'] }, (scenarioPath, values) => {
    const scenario = loadScenario(scenarioPath);
    const seed = values.seed === undefined ? undefined : Number(values.seed);
    if (seed !== undefined && !Number.isInteger(seed)) throw new Error(`--seed: "${values.seed}" is not an integer`);
    const queueWindow = values.window === undefined ? undefined : parseWindow(values.window);
    const bar = new ProgressBar(`${scenario.document.name} ${values.policy ?? ''}`.trim());
    const startedMs = performance.now();
    const result = runScenario(scenario, {
      ...(values.policy === undefined ? {} : { policyName: values.policy }),
      ...(seed === undefined ? {} : { seed }),
      ...(queueWindow === undefined ? {} : { queueWindow }),
      keepCars: true,
      onProgress: (fraction) => bar.update(fraction),
    });
    bar.done();
    printWarnings(result.warnings);
    const wallS = (performance.now() - startedMs) / 1000;
    writeResults(values.out, [result], `${result.scenario}: ${result.policy}`);
    console.log(kpiTable([result]));
    console.log(`${result.kpis.vehicleSteps} vehicle-steps in ${wallS.toFixed(2)} s; results in ${values.out}`);
    return 0;
  });
}
