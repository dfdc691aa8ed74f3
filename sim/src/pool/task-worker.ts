import { workerData } from 'piscina';
import { carryError, type TaskOutcome } from './carried-error.js';

// Piscina worker entry of every pool made by `createWorkerPool`: loads the pool's worker module
// (`workerData.moduleUrl`, a task map: one exported function per task) and runs its named tasks. A task's error is
// answered as data (`TaskOutcome`), so that its code survives the crossing to the caller's thread (see carried-error).
const { moduleUrl } = workerData as { moduleUrl: string };
const tasks = (await import(moduleUrl)) as Record<string, unknown>;

export async function dispatch({ name, task }: { name: string; task: unknown }): Promise<TaskOutcome<unknown>> {
  const handler = tasks[name];
  if (typeof handler !== 'function') throw new Error(`worker ${moduleUrl} has no task "${name}"`);
  try {
    return { value: await (handler as (task: unknown) => unknown)(task) };
  } catch (err) {
    return { error: carryError(err) };
  }
}
