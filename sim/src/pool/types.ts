import type { AllocationDay, AllocationOptions, AllocationPlan } from '../allocation/allocation-types.js';
import type { ResolvedScenario, ScenarioResult, ScenarioRunOptions } from '../scenario/run-scenario.js';
import type { SimTasks } from './sim-pool.js';
import type { TaskName } from './worker-pool.js';

/** Messages between the main thread and the sim workers (piscina tasks), one type per named task. */

/** `runScenario`: one policy × seed of a scenario. */
export interface RunScenarioTask {
  scenario: ResolvedScenario;
  options: Omit<ScenarioRunOptions, 'onProgress'>;
}
export type RunScenarioTaskResult = ScenarioResult;

/** `allocate`: the day's bay allocation (central sends big batches here, off its event loop). */
export interface AllocateTask {
  day: AllocationDay;
  options?: AllocationOptions;
}
export type AllocateTaskResult = AllocationPlan;

/** The named tasks the worker file exports (`pool.run(name, task)`), from the file itself. */
export type SimTaskName = TaskName<SimTasks>;
