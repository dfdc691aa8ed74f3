import type { BayReservation, Directives, LotOverride, SignLine, SignOverride, SyncRequest } from '@citybay/proto';
import type { Appointment, Assignment } from '@citybay/sim';
import type { SiteDefinition } from '../core/site-definition.js';

/** Free / occupied / unknown bays of one kind. */
export interface KindCount {
  free: number;
  occupied: number;
  unknown: number;
}
/** Counts by bay kind name (`standard`, `accessible`, `family`, `ev`, `staff`). */
export type KindCounts = Partial<Record<string, KindCount>>;

/** What central knows of one edge, including its secret hashes (hex SHA-256; at most two during rotation). */
export interface EdgeRecord {
  edgeId: string;
  siteId: string;
  secretHashes: string[];
  createdMs: number;
}

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

export interface EdgeStatus {
  edgeId: string;
  siteId: string;
  ackedSeq: number;
  missingSeqCount: number;
  lastSeenMs: number;
  softwareVersion: string;
  configVersion: string;
  directivesVersionApplied: number;
  directivesVersionSent: number;
  secretCount: number;
}

export interface DirectivesLogEntry {
  siteId: string;
  edgeId: string;
  version: number;
  sentMs: number;
}

/** What a committed sync batch produced: the acknowledgement and the directives to send back. */
export interface IngestResult {
  ackedSeq: number;
  missingSeqs: number[];
  stored: number;
  duplicates: number;
  directives: Directives;
}

/** A site's appointments of one day and their current assignments. */
export interface AppointmentDay {
  siteId: string;
  dayStartMs: number;
  /** Increases by one with every save. */
  version: number;
  appointments: Appointment[];
  assignments: Assignment[];
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

/**
 * Everything central persists. Two implementations (`store-sqlite.ts`, `store-postgres.ts`) pass the same
 * contract suite (`test/contract/store.contract.ts`); every method is atomic.
 */
export interface CentralStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Applies pending migrations; returns the versions applied now. */
  migrate(): Promise<number[]>;
  close(): Promise<void>;
  /** True when the database answers. */
  ping(): Promise<boolean>;

  putSite(site: SiteDefinition, nowMs: number): Promise<void>;
  getSite(siteId: string): Promise<SiteDefinition | undefined>;
  listSites(): Promise<SiteDefinition[]>;

  /** Adds an edge with its first secret hash. Throws `CB_EDGE_EXISTS` or `CB_SITE_UNKNOWN`. */
  addEdge(siteId: string, edgeId: string, secretHash: string, nowMs: number): Promise<void>;
  /** Adds a secret hash; keeps the newest two (the previous one stays valid until the next rotation). */
  addEdgeSecret(edgeId: string, secretHash: string, nowMs: number): Promise<void>;
  /** Ends a rotation: keeps only the newest secret. */
  dropOldEdgeSecrets(edgeId: string): Promise<void>;
  getEdge(edgeId: string): Promise<EdgeRecord | undefined>;
  listEdgeStatus(siteId: string): Promise<EdgeStatus[]>;

  /**
   * Stores one authenticated, site-checked sync batch in one transaction and returns the acknowledgement and
   * the site's directives. Replayed seqs change nothing. `rawBody` is kept for the raw-retention period.
   */
  ingest(request: SyncRequest, rawBody: Uint8Array, receivedMs: number): Promise<IngestResult>;

  listZoneStates(siteId: string): Promise<ZoneState[]>;
  listHistory(query: HistoryQuery): Promise<HistoryPoint[]>;
  listDevices(siteId: string): Promise<DeviceHealthRecord[]>;
  listSigns(siteId: string): Promise<SignFaceRecord[]>;
  listGates(siteId: string): Promise<GateCountRecord[]>;
  /** Seqs of every stored raw batch for an edge, `[first, last]` each (tests and audits). */
  listRawBatches(edgeId: string): Promise<Array<[number, number]>>;

  getDirectives(siteId: string): Promise<Directives>;
  /** Adds or replaces the override for (lot, zone). */
  putLotOverride(siteId: string, override: LotOverride, nowMs: number): Promise<Directives>;
  removeLotOverride(siteId: string, lotId: string, zoneId: string, nowMs: number): Promise<Directives>;
  putSignOverride(siteId: string, override: SignOverride, nowMs: number): Promise<Directives>;
  removeSignOverride(siteId: string, signId: string, nowMs: number): Promise<Directives>;
  /** Adds or replaces reservations by id and removes those in `removeIds`, as one new directives version. */
  updateReservations(
    siteId: string,
    upsert: readonly BayReservation[],
    removeIds: readonly string[],
    nowMs: number,
  ): Promise<Directives>;
  listDirectivesLog(siteId: string, limit: number): Promise<DirectivesLogEntry[]>;

  getAppointmentDay(siteId: string, dayStartMs: number): Promise<AppointmentDay | undefined>;
  /**
   * Saves a day as version `day.version`; throws `CB_APPOINTMENTS_CONFLICT` unless the stored version is
   * `day.version - 1` (0 = none yet), so a concurrent writer is never overwritten.
   */
  saveAppointmentDay(day: AppointmentDay, nowMs: number): Promise<void>;

  /** Deletes raw batches received before `rawBeforeMs` and history buckets before `historyBeforeMs`. */
  prune(rawBeforeMs: number, historyBeforeMs: number): Promise<{ rawBatches: number; historyPoints: number }>;
}
