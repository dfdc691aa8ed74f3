import { writeFileSync } from 'node:fs';
import { reservationIdOf } from '@citybay/central';
import type { ModbusEmulator } from '@citybay/firmware-bridge';
import { DEFAULT_GUIDANCE_SETTINGS } from '@citybay/guidance';
import { loadTwinRun } from '@citybay/sim';
import { fieldSignsOf } from './field-signs.js';
import type { Logger } from 'pino';
import type { TwinLayout } from '../district/twin-layout.js';
import { dashboardMapOf } from './dashboard-map.js';
import { EdgeReservations } from './edge-reservations.js';
import { DueFaces } from './due-faces.js';
import { FieldSignReader } from './field-sign-reader.js';
import { LoopLatency } from './loop-latency.js';
import { LotMirror } from './lot-mirror.js';
import { registerWhatIfScenario } from './register-scenario.js';
import { facesReadOff, SignConsistency } from './sign-consistency.js';
import type { AppointmentsOutcome } from './twin-appointments.js';
import { bookWithCentral } from './twin-booking.js';
import { clockText, ControllerFaults, startTwinEmulators } from './twin-emulators.js';
import { twinClockFile, type TwinClock } from './twin-clock.js';
import { windowFigures } from './window-figures.js';
import type { CentralPlan } from './central-plan.js';

/** How long the window's start waits for the edges to hold central's reservations (real ms; a deadline, not a delay). */
const RESERVATIONS_WAIT_MS = 120_000;

export interface RunTwinOptions {
  layout: TwinLayout;
  logger: Logger;
  /** Simulated seconds per real second. Default 30. */
  speed?: number;
  /** Simulated window run live (s after midnight); before `fromS` the day runs at once with its own sign policy. */
  fromS?: number;
  toS?: number;
  /** Scenario policy to simulate. Default `combined`. */
  policyName?: string;
  /** Share of simulated drivers who follow the signs (0–1). Default the scenario's. */
  signCompliance?: number;
  /** Central's base URL; without it nothing is reported or posted. */
  centralUrl?: string;
  /** Operator API key for the twin report (`POST /v1/dashboard/twin`). */
  operatorKey?: string;
  /** Hospital API key for `POST /v1/appointments`. */
  hospitalKey?: string;
  /** Where the twin writes its clock (central and the edges read their calendar from it). */
  clockFile?: string;
  /** Where the twin writes its figures when the window ends (JSON; the closed-loop benchmark reads it). */
  resultFile?: string;
  /** Simulated s between bay-controller faults (0 = never). Default 2700. */
  faultEveryS?: number;
  /** How long a simulated controller fault lasts (simulated s). Default 900. */
  faultForS?: number;
  /** Real ms between steps. Default 250. */
  tickMs?: number;
  /** Real ms between reports to central (and sign-check samples). Default 1000. */
  reportMs?: number;
}

export interface RunningTwin {
  /** Starts the simulated clock (emulators already answer before this). */
  start(): void;
  stop(): Promise<void>;
  /** Simulated time reached (s after midnight). */
  readonly simS: number;
  readonly emulators: ReadonlyMap<string, ModbusEmulator>;
}

/**
 * The closed-loop twin: hosts the district's Modbus emulators and runs the simulator's engine live at `speed`×. Its
 * drivers read what the real edges wrote to the emulated signs (decoded from the registers, as a driver reads them,
 * through the guidance policy's `lineDriverFollows`); pre-assigned drivers go to the lot central reserved for them as
 * the edges received it; each simulated bay taken or freed is set on the emulated sensors (gate-counted lots count
 * entries and exits). Central and the edges read their calendar from the twin's clock file. Reports simulated time,
 * queues, sign faces and a sign check to central's dashboard.
 */
export async function startTwin(options: RunTwinOptions): Promise<RunningTwin> {
  const { layout, logger } = options;
  const speed = options.speed ?? 30;
  const emulators = await startTwinEmulators(layout, logger);
  const runOptions = {
    policyName: options.policyName ?? 'combined',
    signs: fieldSignsOf(layout),
    ...(options.signCompliance === undefined ? {} : { signCompliance: options.signCompliance }),
  };
  // The run's own plan until central answers for its cars; then the same day again, playing central's plan.
  let run = loadTwinRun(layout.scenarioPath, runOptions);
  let simulation = run.simulation;
  let centralPlan: CentralPlan | undefined;
  const scenarioSignIds = new Set((run.input.signs ?? []).map((sign) => sign.id));
  const fromS = Math.max(options.fromS ?? 7 * 3600, run.startS);
  const toS = Math.min(options.toS ?? 11 * 3600, run.endS);
  const clock: TwinClock = twinClockFile(run.dayStartMs, fromS, toS, speed, options.clockFile);
  const reservations = new EdgeReservations(
    (layout.edges ?? []).map((e) => e.localUrl),
    logger,
  );
  const latency = new LoopLatency();
  const lots = new LotMirror(layout, run.input.lots, emulators, (lotId, atMs) => latency.bayChanged(lotId, atMs));
  const mirrorLots = () => lots.mirror(simulation.lotStatus());
  const faults = new ControllerFaults(
    layout,
    emulators,
    logger,
    fromS,
    options.faultEveryS ?? 2700,
    options.faultForS ?? 900,
  );
  const hospitalLot = run.input.lots.find((l) => l.role === 'hospital')?.lot.id ?? run.input.lots[0]!.lot.id;
  const edgeIds = run.input.network.edges.map((e) => e.id);
  const edgeIndex = new Map(edgeIds.map((id, i) => [id, i]));
  const branches = (run.input.approachBranches ?? []).map((b) => b.map((id) => edgeIndex.get(id) ?? -1));
  const signReader = new FieldSignReader(layout.signs, emulators, latency, logger);
  /**
   * Pre-assigned drivers as they set off: on a reservation the edge held; without one though the plan had a bay for
   * them; and those whose lot (or having one at all) differs from the plan the offline run plays.
   */
  const preAssigned = { byCentral: 0, withoutReservation: 0, differsFromPlan: 0, ignoredPlan: 0 };
  /** Drivers the run's plan pre-assigned who set off with no reservation at their edge (appointment ids). */
  const setOffWithout: string[] = [];
  let nextTrip = 0;

  /** Drivers setting off before `untilS` hold what the edges hold: their reservation's lot, or none. */
  const assignDepartures = (untilS: number): void => {
    const trips = run.appointmentTrips;
    while (nextTrip < trips.length && trips[nextTrip]!.departS <= untilS) {
      const trip = trips[nextTrip++]!;
      const held = reservations.get(reservationIdOf(trip.id));
      const planned = centralPlan?.answers.get(trip.id)?.outcome;
      if (held !== undefined && trip.isPreAssigned !== true && (planned === 'bay' || planned === 'park-and-ride')) {
        // Central placed this car, and the run's plan compliance has its driver ignore the plan (the offline run
        // draws the same drivers): they drive as without one, in both runs.
        preAssigned.ignoredPlan++;
      } else if (held !== undefined) {
        simulation.assignTrip(trip.id, held.lotId, true);
        preAssigned.byCentral++;
        if (trip.isPreAssigned !== true || trip.lotId !== held.lotId) preAssigned.differsFromPlan++;
      } else if (trip.isPreAssigned === true) {
        // The plan had a bay for this driver, but none reached the field in time: an ordinary driver.
        simulation.assignTrip(trip.id, hospitalLot, false);
        preAssigned.withoutReservation++;
        preAssigned.differsFromPlan++;
        setOffWithout.push(trip.id);
      }
    }
  };

  let simS = run.startS;
  let timer: NodeJS.Timeout | undefined;
  let reportTimer: NodeJS.Timeout | undefined;
  let reservationsWait: NodeJS.Timeout | undefined;
  let pollTimer: NodeJS.Timeout | undefined;
  let isStarting = false;
  let isStopped = false;
  let isStarted = false;
  let isHolding = false;
  const queueSeries: Array<{ simS: number; queueM: number }> = [];
  let appointments: AppointmentsOutcome = { status: 'not-posted', posted: 0, assigned: 0, byOutcome: {}, items: [] };

  const approachQueueM = (queues: Float64Array): number =>
    Math.max(0, ...branches.map((b) => b.reduce((sum, e) => sum + (e >= 0 ? queues[e]! : 0), 0)));

  const finish = (): void => {
    isHolding = true;
    faults.clear();
    const figures = windowFigures(simulation.output(), fromS, toS);
    const result = {
      mode: 'closed-loop',
      scenario: run.scenario,
      policy: run.policy,
      seed: run.seed,
      speed,
      figures,
      latency: latency.summary(),
      /** The plan both this run and the offline run play: central's answers (scenario-day times), or null (own). */
      plan: centralPlan?.plan ?? null,
      appointmentOutcomes: centralPlan?.byOutcome ?? appointments.byOutcome,
      preAssigned: {
        ...preAssigned,
        // Of those who set off without: whose reservation reached the edge later (the round trip's latency), the
        // rest central never reserved a bay for (its allocation differs from the run's plan, or it was over).
        reservationArrivedLater: setOffWithout.filter((id) => reservations.wasSeen(reservationIdOf(id))).length,
      },
      reservationsSeen: reservations.size,
      signCheck: {
        samples: consistency.samples,
        contradictory: consistency.contradictory,
        fullOverFree: consistency.fullOverFree,
        fullOverFreeWithinLatency: consistency.fullOverFreeWithinGrace,
        disagreeingWithinLatency: consistency.disagreeingWithinGrace,
        samplesWithFull: consistency.samplesWithFull,
        fullSamplesByLot: Object.fromEntries(consistency.fullSamplesByLot),
        last: consistency.last ?? null,
      },
    };
    if (options.resultFile !== undefined) writeFileSync(options.resultFile, JSON.stringify(result, null, 2));
    logger.info({ simTime: clockText(simS), ...result }, 'twin reached the end of its window: holding the last state');
  };

  const step = (): void => {
    // Drivers keep reading the signs while the twin holds its last state (nobody drives, but the input stays live).
    signReader.readAll(scenarioSignIds, (signId, lotId) => simulation.showOnSign(signId, lotId));
    if (isHolding) return;
    const target = Math.min(toS, clock.simS());
    assignDepartures(target);
    simulation.step(target);
    simS = target;
    mirrorLots();
    const atMs = Date.now();
    for (const [signId, face] of dueFaces.plan(truth())) latency.faceDue(signId, face, atMs);
    faults.update(simS);
    const last = queueSeries[queueSeries.length - 1];
    if (last === undefined || simS - last.simS >= 60)
      queueSeries.push({ simS, queueM: approachQueueM(simulation.linkQueuesM()) });
    if (simS >= toS) finish();
  };

  const post = (path: string, method: string, body: unknown) =>
    fetch(`${options.centralUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.operatorKey}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
  let isMapSent = false;

  const consistency = new SignConsistency();
  const dueFaces = new DueFaces(layout.signs, layout.guidance ?? DEFAULT_GUIDANCE_SETTINGS);
  const closedByDefault = new Set(layout.closedLotIds ?? []);
  /** What the simulation has, as an edge with every sensor working would count it, and the reservations in force. */
  const truth = () => ({
    ...lots.truth(simulation.lotStatus()),
    reservations: reservations.inForce(clock.calendarMs()),
    closedByDefault,
  });
  const report = async (): Promise<void> => {
    const signs = signReader.faces();
    // One sample per report (a second of real time: `speed` simulated seconds) while the day runs.
    if (isStarted && !isHolding) {
      consistency.sample(
        facesReadOff(
          layout.signs,
          signs.map((s) => s.message),
        ),
        {
          situation: truth(),
          reopenAtFree: layout.guidance?.reopenAtFree ?? 0,
          atMs: Date.now(),
          graceMs: latency.summary().dueFaceToSign.p95Ms,
        },
      );
    }
    if (options.centralUrl === undefined || options.operatorKey === undefined) return;
    const linkQueues = simulation.linkQueuesM();
    const measured = latency.summary();
    const linkQueuesM: Record<string, number> = {};
    linkQueues.forEach((m, e) => {
      if (m > 0) linkQueuesM[edgeIds[e]!] = m;
    });
    const body = {
      scenario: run.scenario,
      policy: run.policy,
      mode: 'closed-loop' as const,
      speed,
      utcOffsetMin: layout.utcOffsetMin,
      simTimeS: simS,
      fromS,
      toS,
      isRunning: isStarted && !isHolding,
      approachQueueM: approachQueueM(linkQueues),
      linkQueuesM,
      queueSeries,
      simOccupancy: Object.fromEntries(simulation.lotStatus().map((lot) => [lot.lotId, lot.occupiedByKind])),
      signs,
      signCheck: {
        samples: consistency.samples,
        contradictory: consistency.contradictory,
        ...(consistency.last === undefined ? {} : { last: consistency.last.slice(0, 300) }),
      },
      appointments,
      loop: {
        preAssignedByCentral: preAssigned.byCentral,
        preAssignedWithoutReservation: preAssigned.withoutReservation,
        reservationsSeen: reservations.size,
        sensorToSignMedianMs: measured.sensorToSign.medianMs,
        signLagMedianMs: measured.dueFaceToSign.medianMs,
        directiveRoundTripMedianMs: measured.directiveRoundTrip.medianMs,
        signsSendTo: Object.fromEntries(signReader.sentTo),
      },
    };
    try {
      // Once per central: sent again only if central refused it or was not up yet.
      if (!isMapSent) {
        const response = await post('/v1/dashboard/map', 'PUT', dashboardMapOf(run.map, layout));
        if (response.ok) isMapSent = true;
        else logger.warn({ status: response.status, body: await response.text() }, 'central refused the map');
      }
      const response = await post('/v1/dashboard/twin', 'POST', body);
      if (!response.ok)
        logger.warn({ status: response.status, body: await response.text() }, 'central refused the twin report');
    } catch (err) {
      logger.debug({ err }, 'twin report not delivered (central not up yet?)');
    }
  };

  const pollReservations = async (): Promise<void> => {
    const before = reservations.size;
    await reservations.poll();
    if (reservations.size === before) return;
    for (const appointment of run.appointments) {
      const held = reservations.get(reservationIdOf(appointment.id));
      if (held !== undefined) latency.reservationHeld(appointment.id, held.firstSeenRealMs);
    }
  };

  /**
   * While the clock holds at the window's start: the hospital books its car appointments with central, the twin
   * plays central's answers as the day's plan (the offline run plays the same), and waits until the edges hold the
   * reservations still in force. Without central, or when it refuses, the run keeps its own plan.
   */
  const bookAppointments = async (): Promise<void> => {
    if (options.centralUrl === undefined || options.hospitalKey === undefined) return;
    const booking = await bookWithCentral({
      centralUrl: options.centralUrl,
      hospitalKey: options.hospitalKey,
      siteId: layout.appointmentSiteId,
      utcOffsetMin: layout.utcOffsetMin,
      cars: run.carAppointments,
      dayStartMs: run.dayStartMs,
      shiftMs: clock.shiftMs,
      calendarNowMs: () => clock.calendarMs(),
      speed,
      fromS,
      toS,
      logger,
      onProgress: (outcome) => {
        appointments = outcome;
      },
      onPosting: (ids, atMs) => {
        for (const id of ids) latency.appointmentPosted(id, atMs);
      },
    });
    if (booking === undefined) return;
    centralPlan = booking;
    run = loadTwinRun(layout.scenarioPath, { ...runOptions, preAssignment: booking.plan });
    simulation = run.simulation;
    const pending = () =>
      booking.heldFrom.filter(
        (r) => r.holdUntilMs > clock.calendarMs() && reservations.get(reservationIdOf(r.appointmentId)) === undefined,
      ).length;
    const deadlineMs = Date.now() + RESERVATIONS_WAIT_MS;
    while (pending() > 0 && Date.now() < deadlineMs && !isStopped) {
      await new Promise<void>((resolve) => {
        reservationsWait = setTimeout(resolve, 250);
      });
      await reservations.poll();
    }
    const missing = pending();
    if (missing > 0) logger.warn({ missing }, 'reservations not at the edges when the window starts');
    logger.info(
      { posted: booking.posted, byOutcome: booking.byOutcome, reservationsAtEdges: reservations.size },
      "the twin plays central's plan",
    );
  };

  const bookThenRun = async (): Promise<void> => {
    await bookAppointments();
    if (isStopped) return;
    isStarted = true;
    // The day before the live window runs at once, with the run's own sign policy planning the faces the edges
    // would (nobody is in the loop yet); its bays are then on the emulated sensors.
    simulation.stepWithOwnSigns(fromS - 1e-6, layout.guidance);
    simS = fromS;
    // Drivers who set off before the window drove by the plan (central's answers when it gave them).
    while (nextTrip < run.appointmentTrips.length && run.appointmentTrips[nextTrip]!.departS < fromS) nextTrip++;
    mirrorLots();
    clock.start();
    logger.info(
      { policy: run.policy, from: clockText(fromS), to: clockText(toS), speed, mode: 'closed-loop' },
      'twin started',
    );
    timer = setInterval(step, options.tickMs ?? 250);
    void report();
  };

  return {
    get simS() {
      return simS;
    },
    emulators: emulators.byKey,
    start() {
      if (isStarting) return;
      isStarting = true;
      reportTimer = setInterval(() => void report(), options.reportMs ?? 1000);
      pollTimer = setInterval(() => void pollReservations(), 500);
      if (options.centralUrl !== undefined && options.operatorKey !== undefined) {
        void registerWhatIfScenario({
          centralUrl: options.centralUrl,
          operatorKey: options.operatorKey,
          scenarioPath: layout.scenarioPath,
          logger,
        });
      }
      void bookThenRun().catch((err: unknown) => logger.error({ err }, 'the twin could not start its window'));
    },
    async stop() {
      isStopped = true;
      clearTimeout(reservationsWait);
      clearInterval(timer);
      clearInterval(reportTimer);
      clearInterval(pollTimer);
      await emulators.close();
    },
  };
}
