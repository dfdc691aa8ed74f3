import { SeededRandom } from '@citybay/common';
import { diffBayStates, encodeBayChanges, packBayStates } from '../bay-states.js';
import type { SiteSummary, SyncRequest, ZoneCounts } from '../wire-types.js';
import { Arrow, BayKind, Colour, DeviceStatus, LineMode } from '../wire-types.js';
import { encodeZoneChanges, type ZoneKindChange } from '../zone-changes.js';

/** Shape of a synthetic site: lots of 4 zones, 64 bays per device, kinds mixed as in a hospital lot. */
export interface SampleSiteOptions {
  bayCount: number;
  seed?: number;
  siteId?: string;
  edgeId?: string;
}

/** A synthetic site whose summaries look like a real edge's: for tests, benchmarks and load generators. */
export class SampleSite {
  readonly siteId: string;
  readonly edgeId: string;
  readonly bayCount: number;
  readonly bayLot: string[];
  readonly bayZone: string[];
  readonly bayKind: BayKind[];
  states: Uint8Array;
  private readonly random: SeededRandom;

  constructor(options: SampleSiteOptions) {
    this.siteId = options.siteId ?? 'hospital-north';
    this.edgeId = options.edgeId ?? 'edge-01';
    this.bayCount = options.bayCount;
    this.random = new SeededRandom(options.seed ?? 1);
    const lots = Math.max(1, Math.ceil(options.bayCount / 250));
    this.bayLot = [];
    this.bayZone = [];
    this.bayKind = [];
    for (let i = 0; i < options.bayCount; i++) {
      const lot = Math.floor((i * lots) / options.bayCount);
      this.bayLot.push(`P${lot + 1}`);
      this.bayZone.push(String.fromCharCode(65 + (i % 4)));
      const r = i % 20;
      this.bayKind.push(
        r === 0
          ? BayKind.BAY_KIND_ACCESSIBLE
          : r === 1
            ? BayKind.BAY_KIND_FAMILY
            : r === 2
              ? BayKind.BAY_KIND_EV
              : BayKind.BAY_KIND_STANDARD,
      );
    }
    this.states = new Uint8Array(options.bayCount);
    for (let i = 0; i < options.bayCount; i++) this.states[i] = this.random.next() < 0.7 ? 2 : 1;
  }

  /** Flips `count` distinct random bays between free and occupied; returns the new states. */
  changeBays(count: number): Uint8Array {
    const next = this.states.slice();
    const picked = new Set<number>();
    while (picked.size < Math.min(count, this.bayCount)) picked.add(this.random.int(0, this.bayCount));
    for (const i of picked) next[i] = next[i] === 2 ? 1 : 2;
    return next;
  }

  /** Counts per zone and kind, zones in a fixed order (the order that defines zone indices). */
  zoneCounts(states: Uint8Array): ZoneCounts[] {
    const byZone = new Map<string, ZoneCounts>();
    for (let i = 0; i < this.bayCount; i++) {
      const key = `${this.bayLot[i]}/${this.bayZone[i]}`;
      let zone = byZone.get(key);
      if (!zone) {
        zone = { lotId: this.bayLot[i]!, zoneId: this.bayZone[i]!, kinds: [] };
        byZone.set(key, zone);
      }
      let kind = zone.kinds!.find((k) => k.kind === this.bayKind[i]);
      if (!kind) {
        kind = { kind: this.bayKind[i]!, free: 0, occupied: 0, unknown: 0 };
        zone.kinds!.push(kind);
      }
      const state = states[i];
      if (state === 1) kind.free! += 1;
      else if (state === 2) kind.occupied! += 1;
      else kind.unknown! += 1;
    }
    return [...byZone.values()];
  }

  /** The (zone, kind) counts touched by the changed bays, as zone changes against the snapshot order. */
  zoneChanges(states: Uint8Array, changedBays: Iterable<number>): ZoneKindChange[] {
    const zones = this.zoneCounts(states);
    const indexOf = new Map(zones.map((z, i) => [`${z.lotId}/${z.zoneId}`, i]));
    const touched = new Map<string, ZoneKindChange>();
    for (const bay of changedBays) {
      const zoneIndex = indexOf.get(`${this.bayLot[bay]}/${this.bayZone[bay]}`)!;
      const counts = zones[zoneIndex]!.kinds!.find((k) => k.kind === this.bayKind[bay])!;
      touched.set(`${zoneIndex}/${counts.kind}`, {
        zoneIndex,
        kind: counts.kind!,
        free: counts.free ?? 0,
        occupied: counts.occupied ?? 0,
        unknown: counts.unknown ?? 0,
      });
    }
    return [...touched.values()];
  }

  /** A full snapshot summary of the current states. */
  snapshot(seq: number, windowStartMs: number): SiteSummary {
    const devices = Math.ceil(this.bayCount / 64);
    return {
      siteId: this.siteId,
      edgeId: this.edgeId,
      seq,
      windowStartMs,
      windowEndMs: windowStartMs + 5_000,
      isSnapshot: true,
      zones: this.zoneCounts(this.states),
      bays: { bayCount: this.bayCount, snapshot: packBayStates(this.states) },
      gates: [{ lotId: 'P1', gateId: 'north', entriesTotal: 18_234, exitsTotal: 17_901 }],
      devices: Array.from({ length: devices }, (_, d) => ({
        deviceId: `bus1-u${d + 1}`,
        status: DeviceStatus.DEVICE_STATUS_OK,
        okCount: 86_400 + d,
        timeoutCount: d % 3,
        crcErrorCount: 0,
        exceptionCount: 0,
        lastGoodMs: windowStartMs + 4_900,
      })),
      signs: [
        {
          signId: 'vms-north',
          lines: [
            {
              label: 'P1',
              arrow: Arrow.ARROW_LEFT,
              mode: LineMode.LINE_MODE_COUNT,
              count: 23,
              colour: Colour.COLOUR_GREEN,
            },
            { label: 'P2', arrow: Arrow.ARROW_RIGHT, mode: LineMode.LINE_MODE_FULL, colour: Colour.COLOUR_RED },
          ],
        },
      ],
      softwareVersion: '0.1.0',
      configVersion: 'site-v12',
    };
  }

  /** A change-only summary after `changedBays` random bays changed; the site moves to the new states. */
  changeOnly(seq: number, windowStartMs: number, changedBays: number): SiteSummary {
    const next = this.changeBays(changedBays);
    const changes = diffBayStates(this.states, next);
    this.states = next;
    // Inside a SyncRequest the summary inherits siteId and edgeId, so a change-only one leaves them out.
    return {
      seq,
      windowStartMs,
      windowEndMs: windowStartMs + 5_000,
      zoneChanges: encodeZoneChanges(
        this.zoneChanges(
          next,
          changes.map((c) => c.index),
        ),
      ),
      bays: { bayCount: this.bayCount, changes: encodeBayChanges(changes) },
    };
  }

  /** A batch: one snapshot followed by change-only summaries. */
  syncRequest(firstSeq: number, count: number, changedBaysPerSummary = 10, startMs = 1_795_000_000_000): SyncRequest {
    const summaries: SiteSummary[] = [];
    for (let i = 0; i < count; i++) {
      const seq = firstSeq + i;
      const windowStartMs = startMs + i * 5_000;
      summaries.push(
        i === 0 ? this.snapshot(seq, windowStartMs) : this.changeOnly(seq, windowStartMs, changedBaysPerSummary),
      );
    }
    return { siteId: this.siteId, edgeId: this.edgeId, summaries, directivesVersion: 3 };
  }
}
