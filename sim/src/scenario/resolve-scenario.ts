import { parseAppointments } from '../appointments/parse-appointments.js';
import { parseAnyNetwork } from '../network/network-file.js';
import { parseSumoRoutes } from '../sumo/sumo-routes.js';
import { parseLotsFile } from './lots-file.js';
import type { ResolvedScenario } from './run-scenario.js';
import type { ScenarioDocument } from './scenario-file.js';

/**
 * Gives the text of a file a scenario names: `name` as the scenario writes it, `field` the scenario field that
 * names it (`network`, `lots`, `demand.appointments.file`, `demand.sumoRoutes.files[0]`), for the error.
 */
export type ScenarioFileReader = (name: string, field: string) => string;

/**
 * Parses every file a validated scenario names, read through `read`: the one loader behind the CLI (files next to
 * the scenario on disk) and central (files sent with the submission).
 */
export function resolveScenario(
  document: ScenarioDocument,
  fileName: string,
  read: ScenarioFileReader,
): ResolvedScenario {
  const network = parseAnyNetwork(read(document.network, 'network'), document.network);
  const lots = parseLotsFile(read(document.lots, 'lots'), document.lots);
  const sumoRoutes = document.demand.sumoRoutes?.files.map((file, i) =>
    parseSumoRoutes(read(file, `demand.sumoRoutes.files[${i}]`), file),
  );
  const source = document.demand.appointments;
  const appointments =
    'file' in source
      ? parseAppointments(read(source.file, 'demand.appointments.file'), source.file, source.format)
      : undefined;
  return {
    fileName,
    document,
    network,
    lots,
    ...(appointments === undefined ? {} : { appointments }),
    ...(sumoRoutes === undefined ? {} : { sumoRoutes }),
  };
}
