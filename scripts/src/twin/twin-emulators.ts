import { createPtyPair, loadProfile, ModbusEmulator, serveRtu, serveTcp } from '@citybay/firmware-bridge';
import type { Logger } from 'pino';
import type { TwinLayout } from '../district/twin-layout.js';

export interface TwinEmulators {
  readonly byKey: ReadonlyMap<string, ModbusEmulator>;
  /** The emulator of a key the layout names (an error if it does not define it). */
  of(key: string): ModbusEmulator;
  close(): Promise<void>;
}

/** Starts the district's Modbus emulators: TCP servers, and RTU slaves on socat pseudo-terminal pairs. */
export async function startTwinEmulators(layout: TwinLayout, logger: Logger): Promise<TwinEmulators> {
  const byKey = new Map<string, ModbusEmulator>();
  const closers: Array<() => Promise<void>> = [];
  for (const spec of layout.emulators) {
    const profile = await loadProfile(spec.profile);
    const emulator = new ModbusEmulator({ profile, unitIds: spec.unitIds });
    byKey.set(spec.key, emulator);
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
  return {
    byKey,
    of(key) {
      const emulator = byKey.get(key);
      if (emulator === undefined) throw new Error(`twin layout names emulator "${key}" that it does not define`);
      return emulator;
    },
    async close() {
      for (const close of closers.reverse())
        await close().catch((err: unknown) => logger.warn({ err }, 'close failed'));
    },
  };
}

const clockText = (s: number): string =>
  `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}`;

/**
 * Unplugs one bay controller every `everyS` simulated seconds for `forS` (it stops answering), as in the field; the
 * controllers take turns, spread over the district. `everyS` 0: never.
 */
export class ControllerFaults {
  private readonly controllers: Array<{ emulator: string; unitId: number }>;
  private readonly active: Array<{ emulator: string; unitId: number; untilS: number }> = [];
  private nextS: number;
  private count = 0;

  constructor(
    layout: TwinLayout,
    private readonly emulators: TwinEmulators,
    private readonly logger: Logger,
    fromS: number,
    private readonly everyS: number,
    private readonly forS: number,
  ) {
    this.controllers = layout.emulators
      .filter((e) => e.profile === 'bit-per-bay-64')
      .flatMap((e) => e.unitIds.map((unitId) => ({ emulator: e.key, unitId })));
    this.nextS = fromS + everyS;
  }

  update(simS: number): void {
    for (let i = this.active.length - 1; i >= 0; i--) {
      const fault = this.active[i]!;
      if (simS < fault.untilS) continue;
      this.emulators.of(fault.emulator).clearFaults(fault.unitId);
      this.active.splice(i, 1);
      this.logger.info(
        { emulator: fault.emulator, unit: fault.unitId, simTime: clockText(simS) },
        'simulated fault over: controller answers again',
      );
    }
    if (this.everyS <= 0 || this.controllers.length === 0 || simS < this.nextS) return;
    const target = this.controllers[(this.count * 7) % this.controllers.length]!;
    this.count++;
    this.nextS += this.everyS;
    this.emulators.of(target.emulator).injectFault(target.unitId, { kind: 'offline' });
    this.active.push({ ...target, untilS: simS + this.forS });
    this.logger.info(
      { emulator: target.emulator, unit: target.unitId, simTime: clockText(simS), forS: this.forS },
      'simulated fault: bay controller unplugged',
    );
  }

  /** Every controller answers again. */
  clear(): void {
    for (const fault of this.active.splice(0)) this.emulators.of(fault.emulator).clearFaults(fault.unitId);
  }
}

export { clockText };
