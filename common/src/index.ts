export { BAY_KINDS, type BayKindName, isBayKind } from './bay-kind.js';
export type { CitybayErrorOptions, ErrorFactory, ErrorSpec } from './citybay-error.js';
export { CitybayError, defineErrors, isCitybayError } from './citybay-error.js';
export type { Clock } from './clock.js';
export { ManualClock, systemClock } from './clock.js';
export { type ClockFileContent, type FileClock, followClockFile, simulatedMs } from './clock-file.js';
export type { Logger } from './logger.js';
export { silentLogger } from './logger.js';
export { SeededRandom } from './seeded-random.js';
