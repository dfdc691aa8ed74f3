// What the sync aggregate stores and reads back: an edge's sync progress and the site's latest state by zone,
// device, sign and gate. Plain records shared by the pure planner (ingest-plan.ts) and the stores.
import type { Directives, SignLine } from '@citybay/proto';

/** Free / occupied / unknown bays of one kind. */
export interface KindCount {
  free: number;
  occupied: number;
  unknown: number;
}
/** Counts by bay kind name (`standard`, `accessible`, `family`, `ev`, `staff`). */
export type KindCounts = Partial<Record<string, KindCount>>;

/** Sync progress of one edge: what the planner needs to make a batch idempotent. */
export interface EdgeSyncState {
  /** Highest seq stored. */
  ackedSeq: number;
  /** Seqs never received, as inclusive ranges `[from, to]`, oldest first. */
  gaps: Array<[number, number]>;
  /** Current bay states (one code per bay), or null before the first snapshot. */
  bayStates: Uint8Array | null;
  /** Seq of the summary that produced `bayStates`. */
  baysSeq: number;
  /** Directives version last sent to this edge. */
  directivesVersionSent: number;
  /**
   * The zones of the edge's last snapshot, in its order (zone changes refer to them by index), with counts
   * brought up to date by later change-only summaries; null before the first snapshot.
   */
  zoneTable: ZoneTableEntry[] | null;
  /** Seq of the newest summary applied to `zoneTable`. */
  zonesSeq: number;
}

export interface ZoneTableEntry {
  lotId: string;
  zoneId: string;
  kinds: KindCounts;
}

export interface ZoneState {
  siteId: string;
  lotId: string;
  /** Empty: the whole lot (gate-counted lots). */
  zoneId: string;
  kinds: KindCounts;
  free: number;
  occupied: number;
  unknown: number;
  /** End of the window the counts describe (ms since the epoch). */
  windowEndMs: number;
  edgeId: string;
  seq: number;
}

/** Counts of one zone over one minute: the last value, the range of free bays and how many summaries. */
export interface HistoryPoint {
  siteId: string;
  lotId: string;
  zoneId: string;
  bucketMs: number;
  kinds: KindCounts;
  free: number;
  occupied: number;
  unknown: number;
  freeMin: number;
  freeMax: number;
  samples: number;
  lastMs: number;
}

export type DeviceStatusName = 'unspecified' | 'ok' | 'degraded' | 'offline';
export interface DeviceHealthRecord {
  siteId: string;
  deviceId: string;
  edgeId: string;
  status: DeviceStatusName;
  okCount: number;
  timeoutCount: number;
  crcErrorCount: number;
  exceptionCount: number;
  lastGoodMs: number;
  reportedMs: number;
}

export interface SignFaceRecord {
  siteId: string;
  signId: string;
  edgeId: string;
  lines: SignLine[];
  isFallback: boolean;
  reportedMs: number;
}

export interface GateCountRecord {
  siteId: string;
  lotId: string;
  gateId: string;
  entriesTotal: number;
  exitsTotal: number;
  reportedMs: number;
}

/** What a committed sync batch produced: the acknowledgement and the directives to send back. */
export interface IngestResult {
  ackedSeq: number;
  missingSeqs: number[];
  stored: number;
  duplicates: number;
  /** Gaps this batch opened, `[from, to]` (a warning once per gap, not at every sync). */
  newGaps: Array<[number, number]>;
  directives: Directives;
}

export interface HistoryQuery {
  siteId: string;
  lotId?: string;
  zoneId?: string;
  fromMs: number;
  toMs: number;
  /** Most rows returned. */
  limit: number;
}
