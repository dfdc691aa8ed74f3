import { buildAppointmentTrips, spreadAppointments } from '../demand/appointment-demand.js';
import { backgroundTrips } from '../demand/background-flows.js';
import { subSeed } from '../demand/distributions.js';
import { CITYBAY_CAR_SPEED, withSpeedFactors } from '../demand/speed-factors.js';
import { generateAppointments } from '../demand/generated-appointments.js';
import { errors } from '../errors.js';
import { type Appointment, BAY_KINDS, type BayKind, type ParkingLot, type RoadNetwork } from '../model/index.js';
import { computeKpis, type KpiReport } from '../report/kpis.js';
import { createRouter } from '../routing/shortest-paths.js';
import { runTrafficSimulation, type TrafficSimulationInput } from '../traffic/traffic-simulation.js';
import type { SimLot, Trip } from '../traffic/trip.js';
import type { PolicyDocument, ScenarioDocument } from './scenario-file.js';
import { type PlayablePlan, type PreAssignmentStats, playPlan, preAssignmentPlan } from './pre-assignment.js';
import { allocationOptionsFor } from './scenario-allocation.js';
import { parseClockMin } from './clock-time.js';
import type { SumoRouteFile } from '../sumo/sumo-routes.js';
import { checkUniqueTripIds, sumoDemand } from './scenario-sumo-demand.js';
import { type RunWarning, WarningList } from './run-warning.js';
import { type CarResults, carResults } from '../report/car-results.js';
import {
  type FlowResult,
  flowResults,
  type HourResult,
  hourResults,
  type QueueWindowResult,
  queueWindowResult,
} from '../report/traffic-figures.js';
import { DEFAULT_TRAFFIC_PARAMS } from '../traffic/traffic-params.js';
import type { SumoTypeDefinitions, SumoVehicleAttributes } from '../sumo/sumo-vehicle-types.js';
import { returnEdges, warnApproachGaps, warnOriginShares, warnUnpassedSigns } from './scenario-warnings.js';

/** A scenario with its files read: plain data, so it can be posted to a worker thread. */
/**
 * The traffic model's seed for run seed `seed` (a minor movement's gap waits, `TrafficSimulationInput.seed`): its own
 * stream of the run seed, derived here once so the benchmarks that drive the model directly draw as a scenario run.
 */
export function trafficSeedOf(seed: number): number {
  return subSeed(seed, 8);
}

export interface ResolvedScenario {
  fileName: string;
  document: ScenarioDocument;
  network: RoadNetwork;
  lots: ParkingLot[];
  /** Appointments read from `demand.appointments.file`; absent when the scenario generates them. */
  appointments?: Appointment[];
  /** The files of `demand.sumoRoutes`, parsed (`parseSumoRoutes`), in the scenario's order. */
  sumoRoutes?: SumoRouteFile[];
}

export interface ScenarioRunOptions {
  /** Policy name; default the scenario's `policy`, else its first. */
  policyName?: string;
  /** Seed; default the scenario's. */
  seed?: number;
  onProgress?: (fraction: number) => void;
  /** Keep the per-car table (`cars`) in the result; default false (a sweep of many runs would carry them all). */
  keepCars?: boolean;
  /** Window of the queue mean / p95 / max (s after midnight); default the scenario's `report.window`, else the period. */
  queueWindow?: { fromS: number; toS: number };
  /**
   * A `preAssign` policy plays this plan instead of the allocator's own on the day's car appointments (`carAppointments`
   * of the prepared run): e.g. what central answered for them, so a run plays the plan the field got. Times are on the
   * scenario's day. Car appointments it leaves out drive as without a plan. Default: the allocator's plan.
   */
  preAssignment?: PlayablePlan;
}

/** Queue and lot time series of one run, one point per `seriesIntervalS`. */
export interface ScenarioSeries {
  seriesIntervalS: number;
  timesS: number[];
  approachQueueM: number[];
  lotOccupancy: Record<string, number[]>;
  gateQueueVeh: Record<string, number[]>;
  vehiclesOnNetwork: number[];
  waitingToEnter: number[];
}

/** Everything one run reports. Deterministic: the same scenario, policy and seed give the same value. */
export interface ScenarioResult extends KpiReport {
  scenario: string;
  policy: string;
  seed: number;
  periodS: { fromS: number; toS: number };
  demand: {
    appointments: number;
    noShows: number;
    notByCar: number;
    dropOffs: number;
    parkTrips: number;
    throughTrips: number;
    /** Trips from `demand.sumoRoutes` (included in parkTrips / throughTrips); always set by `prepareScenarioRun`. */
    sumoTrips?: number;
  };
  series: ScenarioSeries;
  /** Accepted but suspicious input (also printed by the CLI). */
  warnings: RunWarning[];
  /** Through and drop-off travel times per flow. */
  flows: FlowResult[];
  /** Queue mean / p95 / max over the report window. */
  queueWindow: QueueWindowResult;
  /** Cars parked and leaving per lot and clock hour. */
  perHour: HourResult[];
  /** Per car (like SUMO's tripinfo), when the run was asked to keep them (`keepCars`). */
  cars?: CarResults;
  /** Pre-assigned policies: the plan's outcomes as played (bays, park-and-ride, drop-offs, wait-list) and its shifts. */
  preAssignment?: PreAssignmentStats;
}

function policyOf(document: ScenarioDocument, name: string | undefined, fileName: string): PolicyDocument {
  const wanted = name ?? document.policy ?? document.policies[0]!.name;
  const policy = document.policies.find((p) => p.name === wanted);
  if (policy === undefined) {
    throw errors.CB_SCENARIO_INVALID(
      `${fileName}: policies: no policy "${wanted}" (known: ${document.policies.map((p) => p.name).join(', ')})`,
      { path: 'policies' },
    );
  }
  return policy;
}

function checkReferences(resolved: ResolvedScenario, edgeIndex: (id: string) => number): void {
  const { document, fileName, lots } = resolved;
  const fail = (path: string, message: string) =>
    errors.CB_SCENARIO_INVALID(`${fileName}: ${path}: ${message}`, { path });
  const edge = (id: string, path: string) => {
    if (edgeIndex(id) < 0) throw fail(path, `unknown network edge "${id}"`);
  };
  const lotIds = new Set(lots.map((lot) => lot.id));
  for (const [i, lot] of lots.entries()) {
    if (edgeIndex(lot.entryEdgeId) < 0) {
      const path = `lots[${i}].entryEdgeId`;
      throw errors.CB_SCENARIO_INVALID(`${document.lots}: ${path}: unknown network edge "${lot.entryEdgeId}"`, {
        path,
      });
    }
  }
  for (const [i, origin] of document.demand.origins.entries()) edge(origin.edgeId, `demand.origins[${i}].edgeId`);
  for (const [i, id] of (document.demand.dropOffEdgeIds ?? []).entries()) edge(id, `demand.dropOffEdgeIds[${i}]`);
  for (const [i, flow] of (document.demand.background ?? []).entries()) {
    edge(flow.from, `demand.background[${i}].from`);
    edge(flow.to, `demand.background[${i}].to`);
  }
  for (const [i, sign] of (document.signs ?? []).entries()) edge(sign.edgeId, `signs[${i}].edgeId`);
  for (const [b, branch] of document.approach.entries()) {
    for (const [i, id] of branch.entries()) edge(id, `approach[${b}][${i}]`);
  }
  for (const id of Object.keys(document.lotRoles ?? {}))
    if (!lotIds.has(id)) throw fail(`lotRoles.${id}`, 'unknown lot');
  for (const [id, byKind] of Object.entries(document.initialOccupancy ?? {})) {
    if (!lotIds.has(id)) throw fail(`initialOccupancy.${id}`, 'unknown lot');
    for (const kind of Object.keys(byKind)) {
      if (!(BAY_KINDS as readonly string[]).includes(kind)) {
        throw fail(`initialOccupancy.${id}.${kind}`, `unknown bay kind (known: ${BAY_KINDS.join(', ')})`);
      }
    }
  }
  if (!lots.some((lot) => (document.lotRoles?.[lot.id] ?? 'hospital') === 'hospital')) {
    throw fail('lotRoles', 'at least one lot must have role hospital');
  }
}

/**
 * Checks that everything the scenario names exists: network edges (lots' entries, origins, drop-offs, background
 * flows, signs, approach branches), lots (roles, initial occupancy) and bay kinds, throwing `CB_SCENARIO_INVALID` at
 * the first bad field. Every run checks this too; a service can call it when a scenario is submitted, so the
 * submitter hears of a bad reference at once rather than from every failed run.
 */
export function checkScenarioReferences(resolved: ResolvedScenario): void {
  const router = createRouter(resolved.network);
  checkReferences(resolved, (id) => router.edgeIndex(id));
  // SUMO demand is checked as its trips are built (edges, routes, parkingAreas): a bad file is refused here too.
  const { period, seed } = resolved.document;
  const [startS, endS] = [parseClockMin(period.from)! * 60, parseClockMin(period.to)! * 60];
  sumoDemand(resolved, router, { startS, endS, seed: subSeed(seed, 4), warnings: new WarningList() });
}

/** A scenario turned into link-model input for one policy and seed (shared by the runner and the SUMO exporter). */
export interface PreparedRun {
  policy: PolicyDocument;
  seed: number;
  input: TrafficSimulationInput;
  demand: ScenarioResult['demand'];
  /**
   * Per trip of `input.trips`: the flow it belongs to (`appointments`, `dropoff`, `background:<id>`, `sumo:<id>`).
   * Always set by `prepareScenarioRun`; a hand-built run without it reports no per-flow figures.
   */
  flowOf?: string[];
  /**
   * SUMO demand as its files give it, for export-sumo to write each such car as the file did: per trip of
   * `input.trips` its vType and departure attributes (undefined: not from a SUMO file), and the types they name.
   */
  sumoVehicles?: { vehicleOf: Array<SumoVehicleAttributes | undefined>; types: SumoTypeDefinitions };
  warnings?: RunWarning[];
  /** Pre-assigned policies: how the plan's outcomes were played. */
  preAssignment?: PreAssignmentStats;
  /** The day's appointments as the policy has them (moved by its `spread`): what the demand was built from. */
  appointments?: Appointment[];
  /**
   * The appointments whose patients come by car to park (no-shows, drop-offs and other modes left out), each with its
   * trip's origin as `originZoneId`: the ones a pre-assignment plan covers, as a hospital would book their bays.
   */
  carAppointments?: Appointment[];
}

/** Builds the demand and the simulation input for one policy × seed. Pure. */
export function prepareScenarioRun(resolved: ResolvedScenario, options: ScenarioRunOptions = {}): PreparedRun {
  const { document, fileName, network, lots } = resolved;
  const policy = policyOf(document, options.policyName, fileName);
  const seed = options.seed ?? document.seed;
  const router = createRouter(network);
  checkReferences(resolved, (id) => router.edgeIndex(id));
  const dayStartMs = Date.parse(document.date);
  const fromS = parseClockMin(document.period.from)! * 60;
  const toS = parseClockMin(document.period.to)! * 60;

  let appointments =
    'generate' in document.demand.appointments
      ? generateAppointments(document.demand.appointments.generate, dayStartMs, subSeed(seed, 1))
      : (resolved.appointments ?? []);
  if (policy.spread !== undefined) {
    appointments = spreadAppointments(
      appointments,
      {
        fromMin: parseClockMin(policy.spread.from)!,
        toMin: parseClockMin(policy.spread.to)!,
        newFromMin: parseClockMin(policy.spread.newFrom)!,
        newToMin: parseClockMin(policy.spread.newTo)!,
      },
      dayStartMs,
    );
  }

  const roleOf = (lotId: string) => document.lotRoles?.[lotId] ?? 'hospital';
  const simLots: SimLot[] = lots.map((lot) => ({
    lot,
    role: roleOf(lot.id) === 'hospital' ? 'hospital' : 'shared',
    isOpenToHospital: roleOf(lot.id) !== 'shared' || policy.openSharedLots === true,
    initialOccupancyByKind: (document.initialOccupancy?.[lot.id] ?? {}) as Partial<Record<BayKind, number>>,
  }));
  const lotCost = new Map(lots.map((lot) => [lot.id, router.treeTo(lot.entryEdgeId).costS]));
  const driveTimeS = (originEdgeId: string, lotId: string) => {
    const cost = lotCost.get(lotId)?.[router.edgeIndex(originEdgeId)] ?? Number.POSITIVE_INFINITY;
    return Number.isFinite(cost) ? cost : 0;
  };
  const hospitalLots = lots.filter((lot) => roleOf(lot.id) === 'hospital');
  const nearestHospitalLot = (appointment: Appointment, originEdgeId: string): string => {
    let best = hospitalLots[0]!.id;
    let bestCost = Number.POSITIVE_INFINITY;
    for (const lot of hospitalLots) {
      const cost = driveTimeS(originEdgeId, lot.id) + (lot.walkTimeSByEntrance[appointment.entranceId] ?? 0);
      if (cost < bestCost) {
        bestCost = cost;
        best = lot.id;
      }
    }
    return best;
  };
  const dropOffCosts = (document.demand.dropOffEdgeIds ?? []).map((id) => ({ id, costS: router.treeTo(id).costS }));
  const dropOffEdgeFor =
    dropOffCosts.length === 0
      ? undefined
      : (originEdgeId: string): string => {
          const origin = router.edgeIndex(originEdgeId);
          let best = dropOffCosts[0]!;
          for (const candidate of dropOffCosts) if (candidate.costS[origin]! < best.costS[origin]!) best = candidate;
          return best.id;
        };
  const drivers = document.demand.drivers;
  const warnings = new WarningList();
  warnOriginShares(document, warnings);
  warnApproachGaps(document, router, warnings);
  const returnEdgeOf = returnEdges(
    document,
    network,
    warnings,
    lots.some((lot) => lot.exitEdgeId !== undefined),
  );
  const demandSettings = {
    returnEdgeFor: (originEdgeId: string) => returnEdgeOf.get(originEdgeId),
    dayStartMs,
    carShare: document.demand.carShare,
    noShowShare: document.demand.noShowShare,
    dropOffShare: document.demand.dropOffShare,
    dropOffEdgeFor,
    arrivalBeforeMin: document.demand.arrivalBeforeMin,
    extraStayMin: document.demand.extraStayMin,
    origins: document.demand.origins,
    searchShare: drivers.searchShare,
    knowsSharedLotsShare: drivers.knowsSharedLotsShare,
    signCompliance: policy.signCompliance ?? drivers.signCompliance,
  };
  const demandSeed = subSeed(seed, 2);
  const appointmentsById = new Map(appointments.map((appointment) => [appointment.id, appointment]));
  const baselineChoice = (appointment: Appointment, originEdgeId: string) => ({
    lotId: nearestHospitalLot(appointment, originEdgeId),
    isPreAssigned: false,
  });
  const demand = buildAppointmentTrips(appointments, demandSettings, demandSeed, baselineChoice, driveTimeS);
  const carAppointments = demand.trips
    .filter((trip) => trip.purpose === 'park' && appointmentsById.has(trip.id))
    .map((trip) => ({ appointment: appointmentsById.get(trip.id)!, originEdgeId: trip.originEdgeId }));
  // Pre-assigned: the allocator's plan on these same cars (or the plan given), each played as its outcome says (never
  // a silent default).
  const preAssigned =
    policy.preAssign === true
      ? playPlan(
          demand.trips,
          options.preAssignment ??
            preAssignmentPlan({
              dayStartMs,
              carAppointments,
              lots: simLots.filter((simLot) => simLot.isOpenToHospital).map((simLot) => simLot.lot),
              network,
              initialOccupancy: (document.initialOccupancy ?? {}) as Record<string, Partial<Record<BayKind, number>>>,
              options: allocationOptionsFor(document, policy),
            }),
          appointmentsById,
          {
            dayStartMs,
            arrivalBeforeMin: document.demand.arrivalBeforeMin,
            driveTimeS,
            dropOffFor: (originEdgeId) => {
              const edgeId = dropOffEdgeFor?.(originEdgeId);
              const costS = dropOffCosts.find((d) => d.id === edgeId)?.costS[router.edgeIndex(originEdgeId)];
              return edgeId === undefined ? undefined : { edgeId, driveS: costS ?? 0 };
            },
            waitListed: policy.waitListed ?? 'drive',
            planCompliance: policy.planCompliance ?? 1,
            seed: subSeed(seed, 5),
          },
        )
      : undefined;
  const background = backgroundTrips(
    (document.demand.background ?? []).map((flow) => {
      const [from = '', to = ''] = (flow.window ?? `${document.period.from}-${document.period.to}`).split('-');
      return {
        id: flow.id,
        fromEdgeId: flow.from,
        toEdgeId: flow.to,
        vehPerHour: flow.vehPerHour,
        fromS: parseClockMin(from)! * 60,
        toS: parseClockMin(to)! * 60,
      };
    }),
    subSeed(seed, 3),
  );
  const sumo = sumoDemand(resolved, router, { startS: fromS, endS: toS, seed: subSeed(seed, 4), warnings });
  // Each driver's speed factor, drawn per trip id (the same car keeps its driver under every policy); SUMO trips drew
  // theirs from their vTypes.
  const speedSeed = subSeed(seed, 6);
  const appointmentTrips = withSpeedFactors(preAssigned?.trips ?? demand.trips, speedSeed, CITYBAY_CAR_SPEED);
  const backgroundDrivers = withSpeedFactors(background, speedSeed, CITYBAY_CAR_SPEED);
  const trips: Trip[] = [...appointmentTrips, ...backgroundDrivers, ...sumo.trips];
  const flowOf = [
    ...appointmentTrips.map((trip) => (trip.purpose === 'park' ? 'appointments' : 'dropoff')),
    ...background.map((trip) => `background:${trip.id.slice(0, trip.id.lastIndexOf('.'))}`),
    ...sumo.flowOf,
  ];
  checkUniqueTripIds(trips, fileName);
  warnUnpassedSigns(document, router, trips, new Map(lots.map((lot) => [lot.id, lot.entryEdgeId])), warnings);
  return {
    policy,
    seed,
    input: {
      network,
      lots: simLots,
      trips,
      signs: document.signs ?? [],
      isGuidanceOn: policy.guidance === 'signs',
      ...(preAssigned === undefined ? {} : { withheldBays: preAssigned.withheld }),
      approachBranches: document.approach,
      startS: fromS,
      endS: toS,
      params: document.traffic ?? {},
      seed: trafficSeedOf(seed),
      onProgress: options.onProgress,
    },
    demand: {
      appointments: appointments.length,
      noShows: demand.noShows,
      notByCar: demand.notByCar,
      dropOffs: demand.dropOffs,
      parkTrips: demand.parkTrips + sumo.parkTrips,
      throughTrips: background.length + sumo.throughTrips,
      sumoTrips: sumo.trips.length,
    },
    flowOf,
    ...(sumo.trips.length === 0
      ? {}
      : {
          sumoVehicles: {
            vehicleOf: [...new Array<undefined>(appointmentTrips.length + background.length), ...sumo.vehicleOf],
            types: sumo.types,
          },
        }),
    appointments,
    carAppointments: carAppointments.map(({ appointment, originEdgeId }) => ({
      ...appointment,
      originZoneId: originEdgeId,
    })),
    warnings: warnings.list(),
    ...(preAssigned === undefined ? {} : { preAssignment: preAssigned.stats }),
  };
}

/** Runs one policy of a scenario: builds the demand, runs the link model, derives KPIs. Pure. */
export function runScenario(resolved: ResolvedScenario, options: ScenarioRunOptions = {}): ScenarioResult {
  const prepared = prepareScenarioRun(resolved, options);
  const output = runTrafficSimulation(prepared.input);
  const edgeIds = resolved.network.edges.map((edge) => edge.id);
  const window = options.queueWindow ?? reportWindow(resolved.document) ?? { fromS: output.startS, toS: output.endS };
  const report = computeKpis(output, edgeIds, window);
  const byLot = (series: number[][]) =>
    Object.fromEntries(output.lotIds.map((id, l) => [id, series[l] ?? []])) as Record<string, number[]>;
  const cars = carResults(output, prepared.input.trips, prepared.flowOf, {
    router: createRouter(resolved.network),
    lotEntryEdge: new Map(resolved.lots.map((lot) => [lot.id, lot.entryEdgeId])),
    freeFlowSpeedFactor: prepared.input.params?.freeFlowSpeedFactor ?? DEFAULT_TRAFFIC_PARAMS.freeFlowSpeedFactor,
  });
  const queueWindow = queueWindowResult(output.queues, edgeIds, output.startS, window);
  return {
    scenario: resolved.document.name,
    policy: prepared.policy.name,
    seed: prepared.seed,
    periodS: { fromS: prepared.input.startS, toS: prepared.input.endS },
    demand: prepared.demand,
    warnings: prepared.warnings ?? [],
    ...report,
    ...(prepared.preAssignment === undefined ? {} : { preAssignment: prepared.preAssignment }),
    series: {
      seriesIntervalS: output.queues.seriesIntervalS,
      timesS: output.queues.timesS,
      approachQueueM: output.queues.approachQueueM,
      lotOccupancy: byLot(output.queues.lotOccupancy),
      gateQueueVeh: byLot(output.queues.gateQueueVeh),
      vehiclesOnNetwork: output.queues.vehiclesOnNetwork,
      waitingToEnter: output.queues.waitingToEnter,
    },
    flows: flowResults(cars, output.endS),
    // The 100 longest link queues: a city network would otherwise list thousands.
    queueWindow: { ...queueWindow, links: queueWindow.links.slice(0, 100) },
    perHour: hourResults(cars, output.lotIds, output.startS, output.endS),
    ...(options.keepCars === true ? { cars } : {}),
  };
}

function reportWindow(document: ScenarioDocument): { fromS: number; toS: number } | undefined {
  const window = document.report?.window;
  if (window === undefined) return undefined;
  const [from = '', to = ''] = window.split('-');
  return { fromS: parseClockMin(from)! * 60, toS: parseClockMin(to)! * 60 };
}
