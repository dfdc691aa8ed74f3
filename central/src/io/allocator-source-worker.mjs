// Worker entry used only when running from TypeScript sources (vitest, `node --import tsx`): Node does not carry
// tsx's loader into worker threads, so this registers it in the thread and dispatches `{ name, task }` to
// allocator-worker.ts. Built code loads allocator-worker.js directly.
import { register } from 'tsx/esm/api';

register();
const worker = await import('./allocator-worker.ts');

export async function dispatch({ name, task }) {
  const handler = worker[name];
  if (typeof handler !== 'function') throw new Error(`allocator worker has no task "${name}"`);
  return handler(task);
}
