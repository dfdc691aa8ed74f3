import type { Appointment } from '../model/index.js';
import { type ResolvedScenario, prepareScenarioRun, type ScenarioRunOptions } from '../scenario/run-scenario.js';
import { TrafficSimulation, type TrafficSimulationInput } from '../traffic/traffic-simulation.js';
import type { SignSpec, Trip } from '../traffic/trip.js';

/** The scenario's own geometry, for a map without tiles: nodes (m), links, where lots' gates and signs are. */
export interface TwinMap {
  nodes: Array<{ id: string; xM: number; yM: number }>;
  links: Array<{ id: string; fromNodeId: string; toNodeId: string; laneCount: number; name?: string }>;
  /** Each lot's gate is at the downstream end of its entry link. */
  lots: Array<{ lotId: string; entryEdgeId: string }>;
  /** Each sign stands at the downstream end of its link. */
  signs: Array<{ signId: string; edgeId: string }>;
}

export interface TwinRunOptions extends ScenarioRunOptions {
  /**
   * The guidance signs as the field has them (fixed lines per sign, as the edges' site files): they replace the
   * scenario's ranked signs, so the run's own sign policy plans the faces the edges would; or a function of the
   * scenario's signs giving them. Default the scenario's.
   */
  signs?: SignSpec[] | ((scenarioSigns: readonly SignSpec[]) => SignSpec[]);
  /** Share of drivers who follow the signs (0–1). Default the policy's, else the scenario's `drivers.signCompliance`. */
  signCompliance?: number;
}

/** One simulated day ready to be stepped live: the engine and what a twin needs around it. */
export interface TwinRun {
  scenario: string;
  policy: string;
  seed: number;
  startS: number;
  endS: number;
  /** Local midnight of the scenario's day (ms since the epoch). */
  dayStartMs: number;
  input: TrafficSimulationInput;
  simulation: TrafficSimulation;
  /** The day's appointments the demand was built from, as the policy has them (after its time spread). */
  appointments: Appointment[];
  /**
   * Those whose patients come by car to park, with their origin as `originZoneId`: what a pre-assignment plan covers
   * (the appointments a hospital books bays for). A plan for them, e.g. central's answers, goes back in as
   * `preAssignment`.
   */
  carAppointments: Appointment[];
  /** Park trips of appointments (trip id = appointment id), in departure order: the drivers a hospital books. */
  appointmentTrips: Trip[];
  map: TwinMap;
}

/** The map of a resolved scenario. Pure. */
export function twinMapOf(resolved: ResolvedScenario): TwinMap {
  return {
    nodes: resolved.network.nodes.map((n) => ({ id: n.id, xM: n.xM, yM: n.yM })),
    links: resolved.network.edges.map((e) => ({
      id: e.id,
      fromNodeId: e.fromNodeId,
      toNodeId: e.toNodeId,
      laneCount: e.laneCount,
      ...(e.name === undefined ? {} : { name: e.name }),
    })),
    lots: resolved.lots.map((lot) => ({ lotId: lot.id, entryEdgeId: lot.entryEdgeId })),
    signs: (resolved.document.signs ?? []).map((sign) => ({ signId: sign.id, edgeId: sign.edgeId })),
  };
}

/**
 * Builds one policy × seed of the scenario as a steppable simulation for a twin (deterministic for its seed): the
 * same demand and engine as `runScenario`, with the field's signs and a sign compliance when given. Pure.
 */
export function prepareTwinRun(resolved: ResolvedScenario, options: TwinRunOptions = {}): TwinRun {
  const { signCompliance } = options;
  const document =
    signCompliance === undefined
      ? resolved.document
      : { ...resolved.document, policies: resolved.document.policies.map((p) => ({ ...p, signCompliance })) };
  const prepared = prepareScenarioRun({ ...resolved, document }, options);
  const input: TrafficSimulationInput = {
    ...prepared.input,
    ...(options.signs === undefined
      ? {}
      : { signs: typeof options.signs === 'function' ? options.signs(prepared.input.signs ?? []) : options.signs }),
  };
  const dayStartMs = Date.parse(document.date);
  // As the policy has them: a hospital that spreads its appointments books (and tells central) the new times.
  const appointments = prepared.appointments ?? [];
  const appointmentIds = new Set(appointments.map((a) => a.id));
  return {
    scenario: document.name,
    policy: prepared.policy.name,
    seed: prepared.seed,
    startS: input.startS,
    endS: input.endS,
    dayStartMs,
    input,
    simulation: new TrafficSimulation(input),
    appointments,
    carAppointments: prepared.carAppointments ?? [],
    appointmentTrips: input.trips
      .filter((trip) => trip.purpose === 'park' && appointmentIds.has(trip.id))
      .sort((a, b) => a.departS - b.departS),
    map: twinMapOf(resolved),
  };
}
