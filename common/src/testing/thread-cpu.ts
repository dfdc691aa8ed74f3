import { existsSync, readFileSync } from 'node:fs';

const SCHEDSTAT = '/proc/thread-self/schedstat';

/**
 * CPU time the calling thread has run, in ms: Linux's per-thread clock (ns on a CPU), or the process's CPU time
 * where that is missing (which also counts V8's compiler and GC helper threads, so it can only overstate a block).
 * The event loop is blocked by its own thread's work only, so budgets about blocking read this clock.
 */
export function threadCpuMs(): number {
  if (existsSync(SCHEDSTAT)) return Number(readFileSync(SCHEDSTAT, 'utf8').split(' ')[0]) / 1e6;
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
}
