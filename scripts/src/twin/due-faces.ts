import {
  type GuidanceMemory,
  type GuidanceSettings,
  type GuidanceSign,
  type GuidanceSituation,
  planFaces,
} from '@citybay/guidance';
import type { TwinSign } from '../district/twin-layout.js';
import { faceKeyOf } from './loop-latency.js';

/**
 * What each emulated sign must show: the guidance policy (`planFaces`, the rule the edges run) over the truth the twin
 * holds — the bays it set, the reservations the edges hold, the lots closed by default — with its own hysteresis
 * memory, as an edge seeing every change at once would plan it. The start of the "due face → sign" latency.
 */
export class DueFaces {
  private readonly signs: GuidanceSign[];
  private readonly memory: GuidanceMemory = new Set();

  constructor(
    signs: readonly TwinSign[],
    private readonly settings: GuidanceSettings,
  ) {
    // Arrows and labels do not enter a face's key (faceKeyOf): only what each line counts matters here.
    this.signs = signs.map((sign) => ({
      id: sign.signId,
      fallback: 'FULL',
      lines: (sign.areas ?? []).map((area, i) => ({ ...area, label: sign.labels[i] ?? area.lotId, arrow: 'none' })),
    }));
  }

  /** Each sign's due face as a key ({@link faceKeyOf}), by sign id. */
  plan(situation: GuidanceSituation): Map<string, string> {
    const faces = planFaces(this.signs, situation, this.settings, this.memory);
    return new Map(faces.map((face) => [face.signId, faceKeyOf(face.lines)]));
  }
}
