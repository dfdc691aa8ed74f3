import { loadScenario } from './scenario-loader.js';
import { prepareTwinRun, type TwinRun, type TwinRunOptions } from '../twin/twin-run.js';

/** Reads a scenario file (and the files it names) and prepares one policy of it as a twin's live simulation. */
export function loadTwinRun(scenarioPath: string, options: TwinRunOptions = {}): TwinRun {
  return prepareTwinRun(loadScenario(scenarioPath), options);
}
