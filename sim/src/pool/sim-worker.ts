import { allocate as planAllocation } from '../allocation/allocate.js';
import type { AllocationPlan } from '../allocation/allocation-types.js';
import { runScenario as runScenarioInline, type ScenarioResult } from '../scenario/run-scenario.js';
import type { AllocateTask, RunScenarioTask } from './types.js';

// Piscina worker entry and the sim's task map: every exported function is a named task, and `SimPool.run` takes its
// names, messages and results from this file's types (`createWorkerPool<typeof import('./sim-worker.js')>`). A new
// task is one export here. Each task is pure and shares no state with the others, so a result does not depend on
// which thread ran it or on how many threads there are.

/** One policy × seed of a scenario. */
export function runScenario(task: RunScenarioTask): ScenarioResult {
  return runScenarioInline(task.scenario, task.options);
}

/** The day's bay allocation (central sends big batches here, off its event loop). */
export function allocate(task: AllocateTask): AllocationPlan {
  return planAllocation(task.day, task.options);
}
