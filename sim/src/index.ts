export { allocate, allocateFirstComeFirstServed } from './allocation/allocate.js';
export type { AllocationInstance } from './allocation/allocation-instance.js';
export { compileDay } from './allocation/allocation-instance.js';
export * from './allocation/allocation-types.js';
export { buildAllocationLp, decodeAllocationLp } from './allocation/ilp-builder.js';
export type { SyntheticDayOptions } from './allocation/synthetic-day.js';
export { syntheticDay } from './allocation/synthetic-day.js';
export { FHIR_PARKING } from './appointments/fhir-appointments.js';
export type { AppointmentFormat } from './appointments/parse-appointments.js';
export { parseAppointments } from './appointments/parse-appointments.js';
export { ERROR_TABLE, errors } from './errors.js';
export * from './model/index.js';
export type { TurnDirection } from './routing/route-text.js';
export { describeRoute, turnDirection } from './routing/route-text.js';
export type { EdgeCostS, RoutePath, Router, ShortestPathTree } from './routing/shortest-paths.js';
export { createRouter } from './routing/shortest-paths.js';
export { LotsFileSchema, lotCapacityOfKind, lotsFromDocument, parseLotsFile } from './scenario/lots-file.js';
export type { AllocationEvent, AllocationUpdate, OnlineAllocator, OnlineAllocatorOptions } from './allocation/online-allocator.js';
export { createOnlineAllocator } from './allocation/online-allocator.js';
export type {
  GuidanceLotState,
  GuidanceSignSpec,
  SignArrow,
  SignGuidanceOptions,
  SignLine,
  SignPlan,
} from './routing/sign-guidance-plan.js';
export { planSignGuidance } from './routing/sign-guidance-plan.js';
