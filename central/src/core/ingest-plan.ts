import {
  applyBayChanges,
  BAY_KIND_BY_NAME,
  BayKind,
  DeviceStatus,
  decodeBayChanges,
  MAX_SEQ_JUMP,
  resolveZoneChanges,
  SEQ_LIMIT,
  type SignLine,
  type SiteSummary,
  type SyncRequest,
  unpackBayStates,
} from '@citybay/proto';
import type {
  DeviceHealthRecord,
  DeviceStatusName,
  EdgeSyncState,
  GateCountRecord,
  HistoryPoint,
  KindCounts,
  IngestResult,
  SignFaceRecord,
  ZoneState,
  ZoneTableEntry,
} from './sync-records.js';
import { errors } from '../errors.js';
import { type DirectivesDoc, directivesForWire } from './directives-doc.js';

// Kind names by enum value, built once: this runs for every (zone, kind) of every summary.
const KIND_NAME = new Map<number, string>(Object.entries(BAY_KIND_BY_NAME).map(([name, value]) => [value, name]));
const bayKindName = (kind: number): string | undefined => KIND_NAME.get(kind);

/** History resolution (ms). */
export const HISTORY_BUCKET_MS = 60_000;
/** Gap ranges kept per edge; older ones are forgotten (they are long unrecoverable by then). */
export const MAX_GAP_RANGES = 1_000;
/** Missing seqs listed in one response. */
export const MAX_MISSING_SEQS_REPORTED = 1_000;

/** Everything one sync batch changes, decided without I/O; a store writes it in one transaction. */
export interface IngestPlan {
  stored: number;
  duplicates: number;
  next: EdgeSyncState;
  /** Bays changed (false: keep the stored bay states). */
  hasBayChange: boolean;
  /** The edge's zone table changed (false: keep the stored one). */
  hasZoneTableChange: boolean;
  zoneStates: ZoneState[];
  history: HistoryPoint[];
  devices: DeviceHealthRecord[];
  signs: SignFaceRecord[];
  gates: GateCountRecord[];
  softwareVersion: string | undefined;
  configVersion: string | undefined;
  /** First and last seq newly stored (for the raw batch log); undefined when everything was a replay. */
  storedSeqRange: [number, number] | undefined;
  /** Gaps this batch opened (seqs skipped and not reported merged), for a warning once per gap. */
  newGaps: Array<[number, number]>;
}

const DEVICE_STATUS_NAME: Record<number, DeviceStatusName> = {
  [DeviceStatus.DEVICE_STATUS_UNSPECIFIED]: 'unspecified',
  [DeviceStatus.DEVICE_STATUS_OK]: 'ok',
  [DeviceStatus.DEVICE_STATUS_DEGRADED]: 'degraded',
  [DeviceStatus.DEVICE_STATUS_OFFLINE]: 'offline',
};

/** Removes `first..last` from the gap ranges; true when any of it was missing. */
function takeFromGaps(gaps: Array<[number, number]>, first: number, last = first): boolean {
  let isTaken = false;
  for (let i = gaps.length - 1; i >= 0; i--) {
    const [from, to] = gaps[i]!;
    if (to < first || from > last) continue;
    isTaken = true;
    const rest: Array<[number, number]> = [];
    if (from < first) rest.push([from, first - 1]);
    if (last < to) rest.push([last + 1, to]);
    gaps.splice(i, 1, ...rest);
  }
  return isTaken;
}

/** The seqs listed in gap ranges, oldest first, at most `limit`. */
export function missingSeqsOf(
  gaps: ReadonlyArray<readonly [number, number]>,
  limit = MAX_MISSING_SEQS_REPORTED,
): number[] {
  const out: number[] = [];
  for (const [from, to] of gaps) {
    for (let seq = from; seq <= to && out.length < limit; seq++) out.push(seq);
    if (out.length >= limit) break;
  }
  return out;
}

export function gapSeqCount(gaps: ReadonlyArray<readonly [number, number]>): number {
  return gaps.reduce((n, [from, to]) => n + to - from + 1, 0);
}

function kindsOfSnapshotZone(zone: NonNullable<SiteSummary['zones']>[number]): KindCounts {
  const kinds: KindCounts = {};
  for (const k of zone.kinds ?? []) {
    kinds[bayKindName(k.kind ?? BayKind.BAY_KIND_UNSPECIFIED) ?? 'unspecified'] = {
      free: k.free ?? 0,
      occupied: k.occupied ?? 0,
      unknown: k.unknown ?? 0,
    };
  }
  return kinds;
}

function totalsOf(kinds: KindCounts): { free: number; occupied: number; unknown: number } {
  let free = 0;
  let occupied = 0;
  let unknown = 0;
  for (const count of Object.values(kinds)) {
    free += count?.free ?? 0;
    occupied += count?.occupied ?? 0;
    unknown += count?.unknown ?? 0;
  }
  return { free, occupied, unknown };
}

/**
 * Decides what a batch stores given the edge's sync state. Summaries arrive in seq order; a seq already
 * stored is a replay (skipped), a seq beyond the next one opens a gap (recorded), a seq inside a gap fills it.
 * Newer windows win for current state; bay states advance only along an unbroken chain from a snapshot.
 * Zone changes carry absolute counts, so they apply after a gap too, but a late gap-filler (older than
 * what was applied) is stored raw and acknowledged without touching current counts or history.
 */
export function planIngest(state: EdgeSyncState, request: SyncRequest): IngestPlan {
  const siteId = request.siteId ?? '';
  const edgeId = request.edgeId ?? '';
  const gaps = state.gaps.map(([from, to]) => [from, to] as [number, number]);
  let ackedSeq = state.ackedSeq;
  let bayStates = state.bayStates;
  let baysSeq = state.baysSeq;
  let hasBayChange = false;
  let stored = 0;
  let duplicates = 0;
  let firstStored = 0;
  let lastStored = 0;
  let softwareVersion: string | undefined;
  let configVersion: string | undefined;
  const zones = new Map<string, ZoneState>();
  const history = new Map<string, HistoryPoint>();
  const devices = new Map<string, DeviceHealthRecord>();
  const signs = new Map<string, SignFaceRecord>();
  const gates = new Map<string, GateCountRecord>();

  let zoneTable = state.zoneTable ? state.zoneTable.slice() : null;
  let zonesSeq = state.zonesSeq;
  let hasZoneTableChange = false;
  const summaries = request.summaries ?? [];
  const newGaps: Array<[number, number]> = [];
  if (ackedSeq >= SEQ_LIMIT) {
    // Only a store written before the contract bounded seqs can hold this; every summary would be a replay.
    throw errors.CB_SYNC_SEQ_JUMP(
      `central holds seq ${ackedSeq} from edge "${edgeId}", past the contract's bound 2^48: reset the edge's sync state`,
      { path: 'summaries' },
    );
  }
  for (let index = 0; index < summaries.length; index++) {
    const summary = summaries[index]!;
    const seq = summary.seq ?? 0;
    // Seqs the edge merged into this summary (outbox compaction) will never come: they are not missing.
    const mergedFrom = summary.mergedFromSeq || seq;
    if (seq > ackedSeq + MAX_SEQ_JUMP) {
      throw errors.CB_SYNC_SEQ_JUMP(
        `summaries[${index}].seq: ${seq} is more than 2^32 past seq ${ackedSeq}, the highest central holds from edge "${edgeId}"`,
        { path: `summaries[${index}].seq` },
      );
    }
    if (seq > ackedSeq) {
      if (mergedFrom > ackedSeq + 1) {
        gaps.push([ackedSeq + 1, mergedFrom - 1]);
        newGaps.push([ackedSeq + 1, mergedFrom - 1]);
      }
      if (mergedFrom <= ackedSeq) takeFromGaps(gaps, mergedFrom, ackedSeq);
      ackedSeq = seq;
    } else if (!takeFromGaps(gaps, mergedFrom, seq)) {
      duplicates += 1;
      continue;
    }
    stored += 1;
    if (firstStored === 0 || seq < firstStored) firstStored = seq;
    lastStored = Math.max(lastStored, seq);
    const windowEndMs = summary.windowEndMs ?? 0;
    if (summary.softwareVersion) softwareVersion = summary.softwareVersion;
    if (summary.configVersion) configVersion = summary.configVersion;

    const bays = summary.bays;
    if (bays) {
      const bayCount = bays.bayCount ?? 0;
      if (summary.isSnapshot) {
        bayStates = unpackBayStates(bays.snapshot ?? new Uint8Array(0), bayCount);
        baysSeq = seq;
        hasBayChange = true;
      } else if (bayStates && baysSeq === mergedFrom - 1 && bayStates.length === bayCount) {
        if (!hasBayChange) bayStates = bayStates.slice();
        applyBayChanges(bayStates, decodeBayChanges(bays.changes ?? []));
        baysSeq = seq;
        hasBayChange = true;
      }
    }

    // Zones this summary reports, with full per-kind counts, for current state and history.
    const reported: ZoneTableEntry[] = [];
    if (summary.isSnapshot) {
      zoneTable = (summary.zones ?? []).map((z) => ({
        lotId: z.lotId ?? '',
        zoneId: z.zoneId ?? '',
        kinds: kindsOfSnapshotZone(z),
      }));
      zonesSeq = Math.max(zonesSeq, seq);
      reported.push(...zoneTable);
    } else if (zoneTable && seq > zonesSeq && (summary.zoneChanges ?? []).length > 0) {
      // Indices refer to the last snapshot's zones; a bad index fails the whole batch (CB_WIRE_INVALID).
      const table: ZoneTableEntry[] = zoneTable;
      const changes = resolveZoneChanges(summary.zoneChanges ?? [], table, `summaries[${index}].zoneChanges`);
      const touched = new Map<string, ZoneTableEntry>();
      for (const change of changes) {
        const key = `${change.lotId}\u0000${change.zoneId}`;
        let entry = touched.get(key);
        if (!entry) {
          const i = table.findIndex((z) => z.lotId === change.lotId && z.zoneId === change.zoneId);
          entry = { ...table[i]!, kinds: { ...table[i]!.kinds } };
          table[i] = entry;
          touched.set(key, entry);
        }
        entry.kinds[bayKindName(change.kind) ?? 'unspecified'] = {
          free: change.free,
          occupied: change.occupied,
          unknown: change.unknown,
        };
      }
      zonesSeq = seq;
      hasZoneTableChange = true;
      reported.push(...touched.values());
    }
    if (summary.isSnapshot) hasZoneTableChange = true;

    for (const zone of reported) {
      const { lotId, zoneId } = zone;
      const counts = { kinds: zone.kinds, ...totalsOf(zone.kinds) };
      const key = `${lotId}\u0000${zoneId}`;
      const current = zones.get(key);
      if (!current || windowEndMs >= current.windowEndMs) {
        zones.set(key, { siteId, lotId, zoneId, ...counts, windowEndMs, edgeId, seq });
      }
      const bucketMs = Math.floor(windowEndMs / HISTORY_BUCKET_MS) * HISTORY_BUCKET_MS;
      const hKey = `${key}\u0000${bucketMs}`;
      const point = history.get(hKey);
      if (!point) {
        history.set(hKey, {
          siteId,
          lotId,
          zoneId,
          bucketMs,
          ...counts,
          freeMin: counts.free,
          freeMax: counts.free,
          samples: 1,
          lastMs: windowEndMs,
        });
      } else {
        point.freeMin = Math.min(point.freeMin, counts.free);
        point.freeMax = Math.max(point.freeMax, counts.free);
        point.samples += 1;
        if (windowEndMs >= point.lastMs) Object.assign(point, counts, { lastMs: windowEndMs });
      }
    }
    for (const device of summary.devices ?? []) {
      const deviceId = device.deviceId ?? '';
      const current = devices.get(deviceId);
      if (current && current.reportedMs > windowEndMs) continue;
      devices.set(deviceId, {
        siteId,
        deviceId,
        edgeId,
        status: DEVICE_STATUS_NAME[device.status ?? 0] ?? 'unspecified',
        okCount: device.okCount ?? 0,
        timeoutCount: device.timeoutCount ?? 0,
        crcErrorCount: device.crcErrorCount ?? 0,
        exceptionCount: device.exceptionCount ?? 0,
        lastGoodMs: device.lastGoodMs ?? 0,
        reportedMs: windowEndMs,
      });
    }
    for (const sign of summary.signs ?? []) {
      const signId = sign.signId ?? '';
      const current = signs.get(signId);
      if (current && current.reportedMs > windowEndMs) continue;
      signs.set(signId, {
        siteId,
        signId,
        edgeId,
        lines: (sign.lines ?? []).map((l) => ({ ...l }) as SignLine),
        isFallback: sign.isFallback === true,
        reportedMs: windowEndMs,
      });
    }
    for (const gate of summary.gates ?? []) {
      const key = `${gate.lotId ?? ''}\u0000${gate.gateId ?? ''}`;
      const current = gates.get(key);
      if (current && current.reportedMs > windowEndMs) continue;
      gates.set(key, {
        siteId,
        lotId: gate.lotId ?? '',
        gateId: gate.gateId ?? '',
        entriesTotal: gate.entriesTotal ?? 0,
        exitsTotal: gate.exitsTotal ?? 0,
        reportedMs: windowEndMs,
      });
    }
  }
  while (gaps.length > MAX_GAP_RANGES) gaps.shift();
  return {
    stored,
    duplicates,
    next: {
      ackedSeq,
      gaps,
      bayStates,
      baysSeq,
      directivesVersionSent: state.directivesVersionSent,
      zoneTable,
      zonesSeq,
    },
    hasBayChange,
    hasZoneTableChange,
    zoneStates: [...zones.values()],
    history: [...history.values()],
    devices: [...devices.values()],
    signs: [...signs.values()],
    gates: [...gates.values()],
    softwareVersion,
    configVersion,
    storedSeqRange: stored > 0 ? [firstStored, lastStored] : undefined,
    newGaps,
  };
}

/** The acknowledgement of a committed batch, as both stores answer it. */
export function ingestResultOf(plan: IngestPlan, siteId: string, doc: DirectivesDoc, receivedMs: number): IngestResult {
  return {
    ackedSeq: plan.next.ackedSeq,
    missingSeqs: missingSeqsOf(plan.next.gaps),
    stored: plan.stored,
    duplicates: plan.duplicates,
    newGaps: plan.newGaps,
    directives: directivesForWire(siteId, doc, receivedMs),
  };
}
