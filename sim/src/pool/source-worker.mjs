// Worker entry used only when running from TypeScript sources (vitest, `node --import tsx`): Node does not carry
// tsx's loader into worker threads, so this file registers it in the thread, loads sim-worker.ts, and dispatches
// `{ name, task }` to the named export. Built code (dist) loads sim-worker.js directly instead.
import { register } from 'tsx/esm/api';

register();
const worker = await import('./sim-worker.ts');

export async function dispatch({ name, task }) {
  const handler = worker[name];
  if (typeof handler !== 'function') throw new Error(`sim worker has no task "${name}"`);
  return handler(task);
}
