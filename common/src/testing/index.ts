export {
  FUZZ_RUNS,
  FUZZ_TIMEOUT_MS,
  type FuzzReport,
  type FuzzWatch,
  MAX_CALL_CPU_MS,
  watchFuzz,
} from './fuzz-budget.js';
export { threadCpuMs } from './thread-cpu.js';
export { type MedianInterval, medianWithInterval } from './median-interval.js';
