export { allocate, allocateFirstComeFirstServed } from './allocation/allocate.js';
export type { AllocationInstance } from './allocation/allocation-instance.js';
export { compileDay } from './allocation/allocation-instance.js';
export * from './allocation/allocation-types.js';
export { buildAllocationLp, decodeAllocationLp } from './allocation/ilp-builder.js';
export {
  LATE_ARRIVAL_GRACE_MIN,
  type WithheldWindow,
  withheldUntilMs,
  withheldWindowOf,
} from './allocation/withheld-bays.js';
export { checkAllocationOptions } from './allocation/allocation-options.js';
export { ALLOCATION_OPTIONS_SCHEMA } from './allocation/allocation-options-schema.js';
export { ALLOCATION_DAY_SCHEMA, checkAllocationDay } from './allocation/allocation-day-schema.js';
export type { SyntheticDayOptions } from './allocation/synthetic-day.js';
export { syntheticDay } from './allocation/synthetic-day.js';
export { APPOINTMENT_LIMITS } from './appointments/appointment-limits.js';
export type {
  AppointmentContainer,
  AppointmentEntry,
  AppointmentFieldPaths,
  AppointmentIssue,
  AppointmentRead,
  ReadAppointmentsOptions,
} from './appointments/appointment-read.js';
export { FHIR_BUNDLE_TYPES, FHIR_PARKING, MAX_BUNDLE_ENTRIES } from './appointments/fhir-appointments.js';
export type { AppointmentFormat } from './appointments/parse-appointments.js';
export {
  detectJsonFormat,
  firstAppointmentError,
  parseAppointments,
  readAppointmentDocument,
  readAppointments,
} from './appointments/parse-appointments.js';
export { ERROR_TABLE, errors } from './errors.js';
export * from './model/index.js';
export type { TurnDirection } from './routing/route-text.js';
export { describeRoute, turnDirection } from './routing/route-text.js';
export type { EdgeCostS, RoutePath, Router, ShortestPathTree } from './routing/shortest-paths.js';
export { createRouter } from './routing/shortest-paths.js';
export { LotsFileSchema, lotCapacityOfKind, lotsFromDocument, parseLotsFile } from './scenario/lots-file.js';
export { parseAnyNetwork, parseNetworkFile } from './network/network-file.js';
export { parseSumoNet } from './network/sumo-net.js';
export type { TrafficParams } from './traffic/traffic-params.js';
export { DEFAULT_TRAFFIC_PARAMS } from './traffic/traffic-params.js';
export type { SignSpec, SimLot, Trip } from './traffic/trip.js';
export type { LotStatus, TrafficRunOutput, TrafficSimulationInput } from './traffic/traffic-simulation.js';
export { runTrafficSimulation, TrafficSimulation } from './traffic/traffic-simulation.js';
export type { AppointmentDemandSettings } from './demand/appointment-demand.js';
export { buildAppointmentTrips, spreadAppointments } from './demand/appointment-demand.js';
export type { BackgroundFlow } from './demand/background-flows.js';
export { backgroundTrips } from './demand/background-flows.js';
export type { AppointmentGenerator } from './demand/generated-appointments.js';
export { generateAppointments } from './demand/generated-appointments.js';
export type { PolicyDocument, ScenarioDocument } from './scenario/scenario-file.js';
export { parseScenarioDocument, parseScenarioFile, ScenarioFileSchema } from './scenario/scenario-file.js';
export { allocationOptionsFor } from './scenario/scenario-allocation.js';
export { resolveScenario, type ScenarioFileReader } from './scenario/resolve-scenario.js';
export type { PreparedRun, ResolvedScenario, ScenarioResult, ScenarioRunOptions } from './scenario/run-scenario.js';
export type { PlayablePlan, PlayedAssignment } from './scenario/pre-assignment.js';
export { checkScenarioReferences, prepareScenarioRun, runScenario } from './scenario/run-scenario.js';
export type { KpiReport, ScenarioKpis } from './report/kpis.js';
export { computeKpis } from './report/kpis.js';
export { renderHtmlReport } from './report/html-report.js';
export {
  carsCsv,
  flowsCsv,
  kpiComparisonCsv,
  linksCsv,
  perHourCsv,
  queueWindowCsv,
  timeSeriesCsv,
} from './report/result-files.js';
export type { CarResults } from './report/car-results.js';
export type { FlowResult, HourResult, QueueWindowResult } from './report/traffic-figures.js';
export type { RunWarning, WarningCode } from './scenario/run-warning.js';
export { WARNING_CODES } from './scenario/run-warning.js';
export type { SumoRouteFile } from './sumo/sumo-routes.js';
export { parseSumoRoutes } from './sumo/sumo-routes.js';
export { parseSumoParkingAreas, parseSumoParkingLots } from './sumo/sumo-parking-areas.js';
export type { SumoExport, SumoExportOptions } from './sumo/sumo-export.js';
export { buildSumoExport } from './sumo/sumo-export.js';
export type { SimPool, SimPoolOptions, SimTasks } from './pool/sim-pool.js';
export { createSimPool } from './pool/sim-pool.js';
export type { TaskArgs, TaskName, TaskResult, WorkerPool, WorkerPoolOptions } from './pool/worker-pool.js';
export { createWorkerPool } from './pool/worker-pool.js';
export type { RunScenarioTask, SimTaskName } from './pool/types.js';
export type {
  AllocationEvent,
  AllocationUpdate,
  OnlineAllocator,
  OnlineAllocatorOptions,
} from './allocation/online-allocator.js';
export { createOnlineAllocator } from './allocation/online-allocator.js';
export type {
  GuidanceLotPlace,
  GuidanceLotState,
  GuidanceSignSpec,
  SignArrow,
  SignGuidanceOptions,
  SignLine,
  SignPlan,
} from './routing/sign-guidance-plan.js';
export { planSignGuidance, SignGuidanceTable } from './routing/sign-guidance-plan.js';
export { prepareTwinRun, type TwinMap, twinMapOf, type TwinRun, type TwinRunOptions } from './twin/twin-run.js';
export { toFhirAppointmentBundle } from './twin/twin-appointments.js';
export { loadTwinRun } from './cli/load-twin-run.js';
export { LinkGraph } from './traffic/link-graph.js';
export { LotState } from './traffic/lot-state.js';
export { SignBoard } from './traffic/sign-board.js';
export type { SignLineSpec } from './traffic/trip.js';
