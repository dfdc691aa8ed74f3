/**
 * The budget every fuzz suite (`*.fuzz.test.ts`) holds its input to: how many cases to run, the CPU
 * one call may take on the event loop's thread (a call that computes for 100 ms blocks the loop for
 * 100 ms; that thread's CPU time, unlike wall time or the process's CPU time, grows neither when a
 * loaded machine deschedules the process nor with V8's background compiler and GC threads), and how
 * much the heap may grow over the run, measured after forced garbage collections.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { threadCpuMs } from './thread-cpu.js';

/** Cases per property: `CITYBAY_FUZZ_RUNS` (CI runs 1,000; the soak bench sets 100,000). */
export const FUZZ_RUNS = Number(process.env.CITYBAY_FUZZ_RUNS ?? 1000);
/** A fuzz test's vitest timeout, in ms: a minute plus 300 ms a case, so the soak's 100,000 cases fit too. */
export const FUZZ_TIMEOUT_MS = 60_000 + FUZZ_RUNS * 300;
/** Longest one call may compute, in ms: the event loop is never blocked longer. */
export const MAX_CALL_CPU_MS = 100;

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

export interface FuzzReport {
  runs: number;
  /** CPU time of the most expensive call on the calling thread, in ms. */
  maxCallCpuMs: number;
  /** Heap growth from the start to the end of the run, after full collections, in bytes. */
  heapGrowthBytes: number;
  /** Longest event-loop delay seen, in ms (includes the machine descheduling the process). */
  maxLoopDelayMs: number;
  /** Repeatable calls over the budget that were measured again (see `callRepeatable`), and their first measures. */
  remeasured: { firstCpuMs: number; leastCpuMs: number }[];
}

export interface FuzzWatch {
  /** Runs one call of the input under test, timing its CPU. */
  call<T>(fn: () => T | Promise<T>): Promise<T>;
  /**
   * Like `call`, for a call without side effects (parsing a file): one over the budget is run again, up to twice,
   * and its least CPU counts. A slow path of the input is slow every time; a one-off — a garbage collection of
   * what earlier calls left, a recompilation, the thread's clock read late on a loaded machine — is not, and is
   * no property of the input.
   */
  callRepeatable<T>(fn: () => T | Promise<T>): Promise<T>;
  /** Stops watching; collects garbage and measures the heap. */
  finish(): FuzzReport;
}

function heapAfterCollection(): number {
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}

export function watchFuzz(): FuzzWatch {
  const heapStart = heapAfterCollection();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let runs = 0;
  let maxCallCpuMs = 0;
  const remeasured: FuzzReport['remeasured'] = [];
  const timed = async <T>(fn: () => T | Promise<T>): Promise<{ value: T; cpuMs: number }> => {
    const startMs = threadCpuMs();
    const value = await fn();
    return { value, cpuMs: threadCpuMs() - startMs };
  };
  return {
    async call(fn) {
      const startMs = threadCpuMs();
      try {
        return await fn();
      } finally {
        runs += 1;
        maxCallCpuMs = Math.max(maxCallCpuMs, threadCpuMs() - startMs);
      }
    },
    async callRepeatable(fn) {
      runs += 1;
      const startMs = threadCpuMs();
      let first;
      try {
        first = await timed(fn);
      } catch (err) {
        maxCallCpuMs = Math.max(maxCallCpuMs, threadCpuMs() - startMs);
        throw err;
      }
      let leastCpuMs = first.cpuMs;
      for (let again = 0; again < 2 && leastCpuMs >= MAX_CALL_CPU_MS; again++) {
        leastCpuMs = Math.min(leastCpuMs, (await timed(fn)).cpuMs);
      }
      if (first.cpuMs >= MAX_CALL_CPU_MS) remeasured.push({ firstCpuMs: first.cpuMs, leastCpuMs });
      maxCallCpuMs = Math.max(maxCallCpuMs, leastCpuMs);
      return first.value;
    },
    finish() {
      loop.disable();
      return {
        runs,
        maxCallCpuMs,
        heapGrowthBytes: heapAfterCollection() - heapStart,
        maxLoopDelayMs: loop.max / 1e6,
        remeasured,
      };
    },
  };
}
