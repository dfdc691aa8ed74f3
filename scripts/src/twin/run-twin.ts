import {
  createPtyPair,
  loadProfile,
  ModbusEmulator,
  type SignMessage,
  serveRtu,
  serveTcp,
} from '@citybay/firmware-bridge';
import { DigitalTwin, loadTwinTimeline, type TwinEvent } from '@citybay/sim';
import type { Logger } from 'pino';
import type { TwinLayout } from '../district/twin-layout.js';
import { registerWhatIfScenario } from './register-scenario.js';
import { type AppointmentsOutcome, postAppointments } from './twin-appointments.js';
import { facesReadOff, SignConsistency } from './sign-consistency.js';
import { TwinBays } from './twin-bays.js';

export interface RunTwinOptions {
  layout: TwinLayout;
  logger: Logger;
  /** Simulated seconds per real second. Default 30. */
  speed?: number;
  /** Simulated window replayed live (s after midnight); before `fromS` the day is fast-forwarded. Default 07:00–11:00. */
  fromS?: number;
  toS?: number;
  /** Scenario policy to simulate. Default `combined` when the scenario has it, else the scenario's own. */
  policyName?: string;
  /** Central's base URL; without it nothing is reported or posted. */
  centralUrl?: string;
  /** Operator API key for the twin report (`POST /v1/dashboard/twin`). */
  operatorKey?: string;
  /** Hospital API key for `POST /v1/appointments`. */
  hospitalKey?: string;
  /**
   * Every this many simulated seconds one bay controller is unplugged (it stops answering) for `faultForS`, as in
   * the field; the controllers take turns. 0 = never. Default 2700 (45 simulated minutes).
   */
  faultEveryS?: number;
  /** How long a simulated controller fault lasts (simulated s). Default 900. */
  faultForS?: number;
  /** Real ms between steps. Default 250. */
  tickMs?: number;
  /** Real ms between reports to central. Default 1000. */
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

const clockText = (s: number): string =>
  `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}`;

/**
 * The twin: hosts the district's Modbus emulators (TCP, and RTU on socat pseudo-terminals), replays the
 * simulator's day on them at `speed`× (a simulated car parking sets its bay occupied; a gate-counted lot counts it),
 * posts the day's appointments to central and reports simulated time, the approach queue and what the emulated
 * signs show to central's dashboard.
 */
export async function startTwin(options: RunTwinOptions): Promise<RunningTwin> {
  const { layout, logger } = options;
  const speed = options.speed ?? 30;
  const emulators = new Map<string, ModbusEmulator>();
  const closers: Array<() => Promise<void>> = [];
  for (const spec of layout.emulators) {
    const profile = await loadProfile(spec.profile);
    const emulator = new ModbusEmulator({ profile, unitIds: spec.unitIds });
    emulators.set(spec.key, emulator);
    closers.push(() => emulator.close());
    if (spec.transport === 'rtu' && spec.ptyPath !== undefined) {
      const pair = await createPtyPair(spec.ptyPath, `${spec.ptyPath}-emulator`);
      closers.push(() => pair.close());
      await serveRtu(emulator, { path: pair.pathB, baudRate: 115200 });
      logger.info(
        { emulator: spec.key, units: spec.unitIds.length, pty: spec.ptyPath },
        'Modbus RTU emulator on a pseudo-terminal',
      );
    } else {
      const server = await serveTcp(emulator, { port: spec.port ?? 0, host: '127.0.0.1' });
      logger.info(
        { emulator: spec.key, units: spec.unitIds.length, port: server.port },
        'Modbus TCP emulator listening',
      );
    }
  }

  const timeline = loadTwinTimeline(
    layout.scenarioPath,
    options.policyName === undefined ? {} : { policyName: options.policyName },
  );
  const twin = new DigitalTwin(timeline);
  const fromS = Math.max(options.fromS ?? 7 * 3600, timeline.startS);
  const toS = Math.min(options.toS ?? 11 * 3600, timeline.endS);
  const bays = new TwinBays(layout.lots);
  const gateOf = new Map(layout.lots.filter((l) => l.gate !== undefined).map((l) => [l.lotId, l.gate!]));
  const gateCounts = new Map<string, { entries: number; exits: number }>();
  const unmapped = new Set<string>();

  const emulatorOf = (key: string): ModbusEmulator => {
    const emulator = emulators.get(key);
    if (emulator === undefined) throw new Error(`twin layout names emulator "${key}" that it does not define`);
    return emulator;
  };
  const apply = (event: TwinEvent): void => {
    const gate = gateOf.get(event.lotId);
    if (gate !== undefined) {
      const counts = gateCounts.get(event.lotId) ?? { entries: 0, exits: 0 };
      if (event.isArrival) counts.entries++;
      else counts.exits++;
      gateCounts.set(event.lotId, counts);
      const emulator = emulatorOf(gate.emulator);
      emulator.setValue(
        gate.unitId,
        event.isArrival ? 'entries' : 'exits',
        event.isArrival ? counts.entries : counts.exits,
      );
      return;
    }
    if (!bays.hasLot(event.lotId)) {
      if (!unmapped.has(event.lotId))
        logger.warn({ lot: event.lotId }, 'simulated lot has no emulated sensors: its cars are not shown');
      unmapped.add(event.lotId);
      return;
    }
    const slot = event.isArrival ? bays.take(event.lotId, event.kind, event.tripId) : bays.release(event.tripId);
    if (slot !== undefined) emulatorOf(slot.emulator).setBay(slot.unitId, slot.bay, event.isArrival);
  };

  let simS = timeline.startS;
  let timer: NodeJS.Timeout | undefined;
  let reportTimer: NodeJS.Timeout | undefined;
  let startedAtMs = 0;
  let isStarted = false;
  let isHolding = false;
  const queueSeries: Array<{ simS: number; queueM: number }> = [];
  let appointments: AppointmentsOutcome = { status: 'not-posted', posted: 0, assigned: 0, items: [] };

  const faultEveryS = options.faultEveryS ?? 2700;
  const faultForS = options.faultForS ?? 900;
  const controllers = layout.emulators
    .filter((e) => e.profile === 'bit-per-bay-64')
    .flatMap((e) => e.unitIds.map((unitId) => ({ emulator: e.key, unitId })));
  let nextFaultS = fromS + faultEveryS;
  let faultCount = 0;
  const activeFaults: Array<{ emulator: string; unitId: number; untilS: number }> = [];
  const updateFaults = (): void => {
    for (let i = activeFaults.length - 1; i >= 0; i--) {
      const fault = activeFaults[i]!;
      if (simS < fault.untilS) continue;
      emulatorOf(fault.emulator).clearFaults(fault.unitId);
      activeFaults.splice(i, 1);
      logger.info(
        { emulator: fault.emulator, unit: fault.unitId, simTime: clockText(simS) },
        'simulated fault over: controller answers again',
      );
    }
    if (faultEveryS <= 0 || controllers.length === 0 || simS < nextFaultS) return;
    // Spread over the district: successive faults go to controllers far apart in the list.
    const target = controllers[(faultCount * 7) % controllers.length]!;
    faultCount++;
    nextFaultS += faultEveryS;
    emulatorOf(target.emulator).injectFault(target.unitId, { kind: 'offline' });
    activeFaults.push({ ...target, untilS: simS + faultForS });
    logger.info(
      { emulator: target.emulator, unit: target.unitId, simTime: clockText(simS), forS: faultForS },
      'simulated fault: bay controller unplugged',
    );
  };

  const step = (): void => {
    const target = Math.min(toS, fromS + ((Date.now() - startedAtMs) / 1000) * speed);
    for (const event of twin.advanceTo(target)) apply(event);
    simS = twin.nowS;
    updateFaults();
    const last = queueSeries[queueSeries.length - 1];
    if (last === undefined || simS - last.simS >= 60) queueSeries.push({ simS, queueM: twin.approachQueueM(simS) });
    if (simS >= toS && !isHolding) {
      isHolding = true;
      // The held state is the simulated day's last: every controller answers.
      for (const fault of activeFaults.splice(0)) emulatorOf(fault.emulator).clearFaults(fault.unitId);
      logger.info({ simTime: clockText(simS) }, 'twin reached the end of its window: holding the last state');
    }
  };

  const signFaces = () =>
    layout.signs.map((sign) => {
      let message: SignMessage | null = null;
      try {
        message = emulatorOf(sign.emulator).signMessage(sign.unitId, sign.labels);
      } catch (err) {
        logger.warn({ err, sign: sign.signId }, 'cannot read the emulated sign');
      }
      return { siteId: sign.siteId, signId: sign.signId, location: sign.location, message };
    });

  /** The map for the dashboard: the scenario's geometry, the layout's lots and signs where the scenario puts them. */
  const mapBody = () => {
    const entryOf = new Map(timeline.map.lots.map((lot) => [lot.lotId, lot.entryEdgeId]));
    const signEdgeOf = new Map(timeline.map.signs.map((sign) => [sign.signId, sign.edgeId]));
    return {
      nodes: timeline.map.nodes,
      links: timeline.map.links,
      lots: layout.lots.flatMap((lot) => {
        const edgeId = entryOf.get(lot.lotId);
        return edgeId === undefined ? [] : [{ siteId: lot.siteId, lotId: lot.lotId, edgeId }];
      }),
      signs: layout.signs.flatMap((sign) => {
        const edgeId = signEdgeOf.get(sign.signId) ?? (sign.lotId === undefined ? undefined : entryOf.get(sign.lotId));
        return edgeId === undefined ? [] : [{ siteId: sign.siteId, signId: sign.signId, edgeId }];
      }),
    };
  };
  let isMapSent = false;
  const sendMap = async (): Promise<void> => {
    const response = await fetch(`${options.centralUrl}/v1/dashboard/map`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.operatorKey}` },
      body: JSON.stringify(mapBody()),
      signal: AbortSignal.timeout(5000),
    });
    if (response.ok) isMapSent = true;
    else logger.warn({ status: response.status, body: await response.text() }, 'central refused the map');
  };

  const consistency = new SignConsistency();
  const report = async (): Promise<void> => {
    if (options.centralUrl === undefined || options.operatorKey === undefined) return;
    const signs = signFaces();
    // One sample per report (a second of real time: `speed` simulated seconds) while the day runs.
    if (isStarted && !isHolding) {
      consistency.sample(
        facesReadOff(
          layout.signs,
          signs.map((s) => s.message),
        ),
      );
    }
    const body = {
      scenario: timeline.scenario,
      policy: timeline.policy,
      // The twin replays one precomputed run: its drivers do not read the emulated signs (issue 16 item 3).
      mode: 'replay' as const,
      speed,
      utcOffsetMin: layout.utcOffsetMin,
      simTimeS: simS,
      fromS,
      toS,
      isRunning: isStarted && !isHolding,
      approachQueueM: twin.approachQueueM(simS),
      linkQueuesM: twin.linkQueuesM(simS),
      queueSeries,
      simOccupancy: twin.occupancy(),
      signs,
      signCheck: {
        samples: consistency.samples,
        contradictory: consistency.contradictory,
        ...(consistency.last === undefined ? {} : { last: consistency.last }),
      },
      appointments,
    };
    try {
      // Once per central: sent again only if central refused it or was not up yet.
      if (!isMapSent) await sendMap();
      const response = await fetch(`${options.centralUrl}/v1/dashboard/twin`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.operatorKey}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(5000),
      });
      if (!response.ok)
        logger.warn({ status: response.status, body: await response.text() }, 'central refused the twin report');
    } catch (err) {
      logger.debug({ err }, 'twin report not delivered (central not up yet?)');
    }
  };

  return {
    get simS() {
      return simS;
    },
    emulators,
    start() {
      if (isStarted) return;
      isStarted = true;
      // Bays taken before the period, then the simulated day up to the live window, all at once.
      for (const [lotId, byKind] of Object.entries(timeline.initialOccupancy)) {
        let n = 0;
        for (const [kind, count] of Object.entries(byKind)) {
          for (let i = 0; i < (count ?? 0); i++) {
            apply({
              atS: timeline.startS,
              lotId,
              kind: kind as TwinEvent['kind'],
              isArrival: true,
              tripId: `initial-${lotId}-${n++}`,
            });
          }
        }
      }
      for (const event of twin.advanceTo(fromS)) apply(event);
      simS = twin.nowS;
      startedAtMs = Date.now();
      logger.info(
        { policy: timeline.policy, from: clockText(fromS), to: clockText(toS), speed, events: timeline.events.length },
        'twin started',
      );
      timer = setInterval(step, options.tickMs ?? 250);
      reportTimer = setInterval(() => void report(), options.reportMs ?? 1000);
      void report();
      if (options.centralUrl !== undefined && options.operatorKey !== undefined) {
        void registerWhatIfScenario({
          centralUrl: options.centralUrl,
          operatorKey: options.operatorKey,
          scenarioPath: layout.scenarioPath,
          logger,
        });
      }
      if (options.centralUrl !== undefined && options.hospitalKey !== undefined) {
        void postAppointments({
          centralUrl: options.centralUrl,
          hospitalKey: options.hospitalKey,
          siteId: layout.appointmentSiteId,
          timeline,
          fromS,
          toS,
          logger,
          onProgress: (outcome) => {
            appointments = outcome;
          },
        });
      }
    },
    async stop() {
      clearInterval(timer);
      clearInterval(reportTimer);
      for (const close of closers.reverse())
        await close().catch((err: unknown) => logger.warn({ err }, 'close failed'));
    },
  };
}
