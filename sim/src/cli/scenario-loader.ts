import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { dirname, resolve } from 'node:path';
import { errors } from '../errors.js';
import { resolveScenario } from '../scenario/resolve-scenario.js';
import type { ResolvedScenario } from '../scenario/run-scenario.js';
import { parseScenarioFile } from '../scenario/scenario-file.js';

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
  return resolveScenario(document, fileName, (name, field) => readOrThrow(resolve(base, name), field, fileName));
}
