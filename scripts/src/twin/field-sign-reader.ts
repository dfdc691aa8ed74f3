import type { SignMessage } from '@citybay/firmware-bridge';
import type { Logger } from 'pino';
import type { TwinSign } from '../district/twin-layout.js';
import { faceKeyOf, type LoopLatency } from './loop-latency.js';
import { lotDriverTakes } from './sign-consistency.js';
import type { TwinEmulators } from './twin-emulators.js';

/** A sign's face as read now, where it stands (what the dashboard shows). */
export interface ReadSignFace {
  siteId: string;
  signId: string;
  location: string;
  message: SignMessage | null;
}

/**
 * The emulated signs as the twin's drivers read them: each face decoded from the sign's registers; every write an
 * edge made to a sign passed on to the loop latency with the face it showed; for the scenario's signs, the lot a
 * compliant driver passing the sign heads for.
 */
export class FieldSignReader {
  private readonly lotsOf: Map<string, string[]>;
  /** Per sign, how many of its emulator's recorded writes were already passed on. */
  private readonly writesSeen = new Map<string, number>();
  /** The lot each scenario sign sends compliant drivers to, as last read off it (null: none). */
  readonly sentTo = new Map<string, string | null>();

  constructor(
    private readonly signs: readonly TwinSign[],
    private readonly emulators: TwinEmulators,
    private readonly latency: LoopLatency,
    private readonly logger: Logger,
  ) {
    this.lotsOf = new Map(signs.map((s) => [s.signId, [...new Set((s.areas ?? []).map((a) => a.lotId))]]));
  }

  /** The face a driver reads off the sign now; null when it cannot be read. */
  read(sign: TwinSign): SignMessage | null {
    try {
      return this.emulators.of(sign.emulator).signMessage(sign.unitId, sign.labels);
    } catch (err) {
      this.logger.warn({ err, sign: sign.signId }, 'cannot read the emulated sign');
      return null;
    }
  }

  /**
   * Passes the writes since the last call to the loop latency, and tells `show` where each of `scenarioSignIds` sends
   * compliant drivers now (the lot of the line they follow, or undefined).
   */
  readAll(scenarioSignIds: ReadonlySet<string>, show: (signId: string, lotId: string | undefined) => void): void {
    for (const sign of this.signs) {
      const { shown } = this.emulators.of(sign.emulator);
      for (let i = this.writesSeen.get(sign.signId) ?? 0; i < shown.length; i++) {
        const write = shown[i]!;
        if (write.unitId !== sign.unitId) continue;
        const face = faceKeyOf(write.message?.lines);
        this.latency.signWritten(sign.signId, this.lotsOf.get(sign.signId) ?? [], write.atMs, face);
      }
      this.writesSeen.set(sign.signId, shown.length);
      if (!scenarioSignIds.has(sign.signId)) continue;
      const lotId = lotDriverTakes(sign, this.read(sign));
      show(sign.signId, lotId);
      this.sentTo.set(sign.signId, lotId ?? null);
    }
  }

  /** Every sign's face now. */
  faces(): ReadSignFace[] {
    return this.signs.map((sign) => ({
      siteId: sign.siteId,
      signId: sign.signId,
      location: sign.location,
      message: this.read(sign),
    }));
  }
}
