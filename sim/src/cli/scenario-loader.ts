import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { dirname, resolve } from 'node:path';
import { parseAppointments } from '../appointments/parse-appointments.js';
import { errors } from '../errors.js';
import { parseAnyNetwork } from '../network/network-file.js';
import { parseLotsFile } from '../scenario/lots-file.js';
import type { ResolvedScenario } from '../scenario/run-scenario.js';
import { parseScenarioFile } from '../scenario/scenario-file.js';
import { parseSumoRoutes } from '../sumo/sumo-routes.js';

function readOrThrow(path: string, referencedAs: string, scenarioFile: string): string {
  try {
    // SUMO files are often kept gzipped (netconvert and duarouter write .gz when asked).
    return path.endsWith('.gz') ? gunzipSync(readFileSync(path)).toString('utf8') : readFileSync(path, 'utf8');
  } catch (cause) {
    throw errors.CB_SCENARIO_INVALID(`${scenarioFile}: ${referencedAs}: cannot read "${path}"`, {
      path: referencedAs,
      cause,
    });
  }
}

/** Reads a scenario file and every file it names (paths relative to the scenario), and validates them all. */
export function loadScenario(scenarioPath: string): ResolvedScenario {
  const fileName = scenarioPath;
  const document = parseScenarioFile(readOrThrow(scenarioPath, '(file)', fileName), fileName);
  const base = dirname(resolve(scenarioPath));
  const networkPath = resolve(base, document.network);
  const lotsPath = resolve(base, document.lots);
  const network = parseAnyNetwork(readOrThrow(networkPath, 'network', fileName), document.network);
  const lots = parseLotsFile(readOrThrow(lotsPath, 'lots', fileName), document.lots);
  const sumoRoutes = document.demand.sumoRoutes?.files.map((file, i) =>
    parseSumoRoutes(readOrThrow(resolve(base, file), `demand.sumoRoutes.files[${i}]`, fileName), file),
  );
  const withSumo = sumoRoutes === undefined ? {} : { sumoRoutes };
  const source = document.demand.appointments;
  if ('file' in source) {
    const appointmentsPath = resolve(base, source.file);
    const text = readOrThrow(appointmentsPath, 'demand.appointments.file', fileName);
    const appointments = parseAppointments(text, source.file, source.format);
    return { fileName, document, network, lots, appointments, ...withSumo };
  }
  return { fileName, document, network, lots, ...withSumo };
}
