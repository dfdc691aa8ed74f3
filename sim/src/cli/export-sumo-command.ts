import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { prepareScenarioRun } from '../scenario/run-scenario.js';
import { loadScenario } from './scenario-loader.js';
import { buildSumoExport } from './sumo-export.js';
import { runCommand } from './command.js';

const USAGE = `usage: citybay-sim export-sumo <scenario.yaml> --out <dir> [--policy <name>] [--seed <n>]
Writes SUMO inputs for the scenario's demand: routes.rou.xml, parking.add.xml, run.sumocfg, and either a copy of the
scenario's .net.xml as net.net.xml or plain nodes/edges/connections for netconvert (the command to run is printed).`;

export function runExportSumoCommand(argv: string[]): Promise<number> {
  const options = { out: { type: 'string' }, policy: { type: 'string' }, seed: { type: 'string' } } as const;
  return runCommand(argv, { usage: USAGE, options, required: ['out'] }, async (scenarioPath, values) => {
    const outDir = values.out;
    const scenario = loadScenario(scenarioPath);
    const prepared = prepareScenarioRun(scenario, {
      ...(values.policy === undefined ? {} : { policyName: values.policy }),
      ...(values.seed === undefined ? {} : { seed: Number(values.seed) }),
    });
    const exported = buildSumoExport(prepared, scenario.network);
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'routes.rou.xml'), exported.routesXml);
    writeFileSync(join(outDir, 'parking.add.xml'), exported.additionalXml);
    writeFileSync(join(outDir, 'run.sumocfg'), exported.configXml);
    writeFileSync(join(outDir, 'planned-departures.json'), `${JSON.stringify(exported.plannedDepartS)}\n`);
    if (scenario.document.network.endsWith('.xml')) {
      copyFileSync(resolve(dirname(resolve(scenarioPath)), scenario.document.network), join(outDir, 'net.net.xml'));
      console.log(`wrote ${outDir}: run with  sumo -c ${join(outDir, 'run.sumocfg')}`);
    } else {
      writeFileSync(join(outDir, 'net.nod.xml'), exported.plainNodesXml);
      writeFileSync(join(outDir, 'net.edg.xml'), exported.plainEdgesXml);
      writeFileSync(join(outDir, 'net.con.xml'), exported.plainConnectionsXml);
      console.log(
        `wrote ${outDir}: build the net with  netconvert -n ${outDir}/net.nod.xml -e ${outDir}/net.edg.xml -x ${outDir}/net.con.xml -o ${outDir}/net.net.xml  then  sumo -c ${outDir}/run.sumocfg`,
      );
    }
    return 0;
  });
}
