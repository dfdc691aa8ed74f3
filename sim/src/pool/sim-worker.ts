import { allocate } from '../allocation/allocate.js';
import { runScenario } from '../scenario/run-scenario.js';
import type { AllocateTask, AllocateTaskResult, RunScenarioTask, RunScenarioTaskResult } from './types.js';

// Piscina worker entry: every export is a named task. Each task is pure and shares no state with the others, so a
// result does not depend on which thread ran it or on how many threads there are.

export function runScenarioTask(task: RunScenarioTask): RunScenarioTaskResult {
  return runScenario(task.scenario, task.options);
}

export { runScenarioTask as runScenario };

export function allocateTask(task: AllocateTask): AllocateTaskResult {
  return allocate(task.day, task.options);
}

export { allocateTask as allocate };
