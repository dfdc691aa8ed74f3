// Worker entry used only when running from TypeScript sources (vitest, `node --import tsx`): Node does not carry
// tsx's loader into worker threads, so this file registers it in the thread, then serves the pool's tasks through
// `task-worker.ts` (which built code loads directly as `task-worker.js`).
import { register } from 'tsx/esm/api';

register();
const entry = await import('./task-worker.ts');

export function dispatch(message) {
  return entry.dispatch(message);
}
