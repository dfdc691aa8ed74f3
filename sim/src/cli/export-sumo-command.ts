import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { prepareScenarioRun } from '../scenario/run-scenario.js';
import { buildSumoExport } from '../sumo/sumo-export.js';
import { runCommand } from './command.js';
import { loadScenario } from './scenario-loader.js';
import { printWarnings } from './print-warnings.js';

const USAGE = `usage: citybay-sim export-sumo <scenario.yaml> --out <dir> [--policy <name>] [--seed <n>]
Writes SUMO inputs for one run of the scenario: routes.rou.xml, parking.add.xml, run.sumocfg and the network
(net.net.xml, or netconvert inputs and build-net.sh when the lots' own roads must be added), then prints the commands.`;

export function runExportSumoCommand(argv: string[]): Promise<number> {
  const options = { out: { type: 'string' }, policy: { type: 'string' }, seed: { type: 'string' } } as const;
  return runCommand(argv, { usage: USAGE, options, required: ['out'] }, async (scenarioPath, values) => {
    const outDir = values.out;
    const scenario = loadScenario(scenarioPath);
    const seed = values.seed === undefined ? undefined : Number(values.seed);
    if (seed !== undefined && !Number.isInteger(seed)) throw new Error(`--seed: "${values.seed}" is not an integer`);
    const prepared = prepareScenarioRun(scenario, {
      ...(values.policy === undefined ? {} : { policyName: values.policy }),
      ...(seed === undefined ? {} : { seed }),
    });
    printWarnings(prepared.warnings ?? []);
    const isSumoNet = /\.xml(\.gz)?$/.test(scenario.document.network);
    const exported = buildSumoExport(prepared, scenario.network, { networkKind: isSumoNet ? 'sumo' : 'plain' });
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'routes.rou.xml'), exported.routesXml);
    writeFileSync(join(outDir, 'parking.add.xml'), exported.additionalXml);
    writeFileSync(join(outDir, 'run.sumocfg'), exported.configXml);
    writeFileSync(join(outDir, 'planned-departures.json'), `${JSON.stringify(exported.plannedDepartS)}\n`);
    for (const [name, text] of Object.entries(exported.networkFiles)) writeFileSync(join(outDir, name), text);
    const source = resolve(dirname(resolve(scenarioPath)), scenario.document.network);
    if (isSumoNet) {
      const target = join(outDir, exported.netconvertArgs.length === 0 ? 'net.net.xml' : 'source.net.xml');
      // A gzipped net is written out plain, so run.sumocfg and build-net.sh can name it alike.
      if (source.endsWith('.gz')) writeFileSync(target, gunzipSync(readFileSync(source)));
      else copyFileSync(source, target);
    }
    const { total, park, returning, through } = exported.vehicles;
    console.log(`${total} vehicles: ${park} to lots (${returning} drive home after), ${through} through or drop-off`);
    if (exported.netconvertArgs.length > 0) {
      const build = `#!/bin/sh\n# Adds the lots' own roads to the network (written by citybay-sim export-sumo).\ncd "$(dirname "$0")" && netconvert ${exported.netconvertArgs.join(' ')}\n`;
      writeFileSync(join(outDir, 'build-net.sh'), build, { mode: 0o755 });
      console.log(
        `wrote ${outDir}: build the network with  sh ${join(outDir, 'build-net.sh')}  (netconvert ${exported.netconvertArgs.join(' ')}), then run  sumo -c ${join(outDir, 'run.sumocfg')}`,
      );
    } else {
      console.log(`wrote ${outDir}: run with  sumo -c ${join(outDir, 'run.sumocfg')}`);
    }
    return 0;
  });
}
