import { loadScenario } from './scenario-loader.js';
import type { ScenarioRunOptions } from '../scenario/run-scenario.js';
import { buildTwinTimeline, type TwinTimeline } from '../twin/twin-timeline.js';

/** Reads a scenario file (and the files it names) and builds the twin's timeline for one policy. */
export function loadTwinTimeline(scenarioPath: string, options: ScenarioRunOptions = {}): TwinTimeline {
  return buildTwinTimeline(loadScenario(scenarioPath), options);
}
