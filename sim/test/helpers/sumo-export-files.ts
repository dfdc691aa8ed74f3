import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SumoExport } from '../../src/sumo/sumo-export.js';

/** SUMO's tools need SUMO_HOME; Debian's packages put it here. */
export const SUMO_ENV = { ...process.env, SUMO_HOME: process.env.SUMO_HOME ?? '/usr/share/sumo' };

/** Writes an export's files into `dir` as a user would (`run.sumocfg` beside them) and builds its net with netconvert. */
export function writeExportAndNetconvert(dir: string, exported: SumoExport): SpawnSyncReturns<string> {
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(exported.networkFiles)) writeFileSync(join(dir, file), text);
  writeFileSync(join(dir, 'routes.rou.xml'), exported.routesXml);
  writeFileSync(join(dir, 'parking.add.xml'), exported.additionalXml);
  writeFileSync(join(dir, 'run.sumocfg'), exported.configXml);
  return spawnSync('netconvert', exported.netconvertArgs, { cwd: dir, encoding: 'utf8', env: SUMO_ENV });
}
