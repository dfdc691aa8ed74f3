// Worker entry used only when running from TypeScript sources (vitest, `node --import tsx`): Node does not carry
// tsx's loader into worker threads, so this file registers it in the thread, loads the `.ts` worker module named by
// the pool (`workerData.moduleUrl`, see worker-pool.ts), and dispatches `{ name, task }` to its named export.
// Built code loads the `.js` worker module directly instead.
import { workerData } from 'piscina';
import { register } from 'tsx/esm/api';

register();
const worker = await import(workerData.moduleUrl);

export async function dispatch({ name, task }) {
  const handler = worker[name];
  if (typeof handler !== 'function') throw new Error(`worker ${workerData.moduleUrl} has no task "${name}"`);
  return handler(task);
}
