export { FUZZ_RUNS, type FuzzReport, type FuzzWatch, MAX_CALL_CPU_MS, watchFuzz } from './fuzz-budget.js';
