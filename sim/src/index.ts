export { FHIR_PARKING } from './appointments/fhir-appointments.js';
export type { AppointmentFormat } from './appointments/parse-appointments.js';
export { parseAppointments } from './appointments/parse-appointments.js';
export { ERROR_TABLE, errors } from './errors.js';
export * from './model/index.js';
export type { EdgeCostS, RoutePath, Router, ShortestPathTree } from './routing/shortest-paths.js';
export { createRouter } from './routing/shortest-paths.js';
export { LotsFileSchema, lotCapacityOfKind, lotsFromDocument, parseLotsFile } from './scenario/lots-file.js';
