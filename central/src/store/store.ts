import type { BayReservation, Directives, LotOverride, SignLine, SignOverride, SyncRequest } from '@citybay/proto';
import type { Appointment, Assignment, ScenarioResult } from '@citybay/sim';
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
  /** Gaps this batch opened, `[from, to]` (a warning once per gap, not at every sync). */
  newGaps: Array<[number, number]>;
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

export type ScenarioJobStatus = 'queued' | 'running' | 'done' | 'failed';

/** One run of a scenario job: a policy of the scenario with a seed. */
export interface ScenarioRun {
  policy: string;
  seed: number;
}

/** What a new scenario job is stored with. */
export interface NewScenarioJob {
  id: string;
  name: string;
  runs: ScenarioRun[];
  /** The central instance that runs it (and refreshes its heartbeat). */
  ownerId: string;
}

/** A stored scenario job without its results (those are read on their own: they can be megabytes). */
export interface ScenarioJobRecord extends NewScenarioJob {
  status: ScenarioJobStatus;
  completedRuns: number;
  submittedMs: number;
  /** When the job ended; for an abandoned job, its last heartbeat. */
  finishedMs?: number;
  /** Why it failed. */
  error?: string;
  /** The owner's last sign of life (ms since the epoch). */
  heartbeatMs: number;
}

/**
 * When a scenario job is judged, and how long it may go without a heartbeat: a queued or running job whose
 * heartbeat is older than `leaseMs` at `nowMs` is abandoned (see `src/core/scenario-job-lease.ts`).
 */
export interface ScenarioJobLease {
  nowMs: number;
  leaseMs: number;
}

/** How the what-if page lists a scenario it offers. */
export interface WhatIfScenarioSummary {
  id: string;
  name: string;
  description?: string;
  /** The scenario's policies, in its order. */
  policies: string[];
}

/**
 * A scenario the what-if page offers, with its scenario file and the files that names (file name → text): what
 * `POST /v1/scenarios` takes. Stored as the JSON text it serialises to, so it reads back with its keys in order.
 */
export interface WhatIfScenario extends WhatIfScenarioSummary {
  scenario: string;
  files: Record<string, string>;
}

/** A driver's link: the token that opens one appointment's page, and what it opens. */
export interface DriverLink {
  token: string;
  siteId: string;
  dayStartMs: number;
  appointmentId: string;
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
  /** When each site's definition was last stored (ms), by site id in order: the version of its published table. */
  listSiteVersions(): Promise<Array<{ siteId: string; updatedMs: number }>>;

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
  /** The stored day (its local midnight) of each of `appointmentIds` a site has; absent ids are not in the map. */
  appointmentDaysOf(siteId: string, appointmentIds: readonly string[]): Promise<Map<string, number>>;
  /**
   * Saves the days of one change to a site's appointments, each as version `day.version`, and updates the
   * site's reservations (added or replaced by id, `removeIds` removed) as one new directives version, all in one
   * transaction. Throws `CB_APPOINTMENTS_CONFLICT`, saving nothing, unless every day's stored version is
   * `day.version - 1` (0 = none yet), so a concurrent writer is never overwritten.
   */
  saveAppointmentDays(
    siteId: string,
    days: readonly AppointmentDay[],
    reservations: { upsert: readonly BayReservation[]; removeIds: readonly string[] },
    nowMs: number,
  ): Promise<void>;

  /** Stores a new scenario job as `queued`, its heartbeat at `nowMs`. */
  createScenarioJob(job: NewScenarioJob, nowMs: number): Promise<ScenarioJobRecord>;
  /**
   * The owner's progress and heartbeat: the job becomes `running`, `completedRuns` is raised to the value given
   * (never lowered, so writes may land in any order) and the heartbeat set to `lease.nowMs`. False, changing
   * nothing, when the job is no longer live: done, failed, deleted, or abandoned under `lease`.
   */
  recordScenarioJobProgress(id: string, completedRuns: number, lease: ScenarioJobLease): Promise<boolean>;
  /**
   * Stores the results (one per run, in run order) of a live job and marks it `done` with every run completed
   * (a progress write still on its way cannot lower that); false as above.
   */
  finishScenarioJob(id: string, results: readonly ScenarioResult[], lease: ScenarioJobLease): Promise<boolean>;
  /** Marks a live job `failed` with `error`; false as above. */
  failScenarioJob(id: string, error: string, lease: ScenarioJobLease): Promise<boolean>;
  /** Marks every queued or running job of `ownerId` failed with `error` (its instance is stopping); how many. */
  failOwnedScenarioJobs(ownerId: string, error: string, nowMs: number): Promise<number>;
  /** A job without its results; a queued or running job abandoned under `lease` reads as failed. */
  getScenarioJob(id: string, lease: ScenarioJobLease): Promise<ScenarioJobRecord | undefined>;
  /** Every job, oldest first, without results, judged like {@link getScenarioJob}. */
  listScenarioJobs(lease: ScenarioJobLease): Promise<ScenarioJobRecord[]>;
  /** The results of a `done` job; undefined for any other job or none. */
  getScenarioJobResults(id: string): Promise<ScenarioResult[] | undefined>;
  /**
   * Stores jobs abandoned under `lease` as failed, then deletes finished (done or failed) jobs older than the
   * newest `keepFinished`; returns how many were deleted. Live jobs are never deleted.
   */
  pruneScenarioJobs(keepFinished: number, lease: ScenarioJobLease): Promise<number>;

  /**
   * Stores a what-if scenario as the newest of the catalogue, replacing one with the same id, then deletes all but
   * the newest `keepNewest` (at least 1) in the same transaction; returns how many were deleted.
   */
  putWhatIfScenario(scenario: WhatIfScenario, keepNewest: number): Promise<number>;
  /** The catalogue, oldest first, without scenario files. */
  listWhatIfScenarios(): Promise<WhatIfScenarioSummary[]>;
  /** One scenario with its files, as it was put; undefined when none has that id (never, or dropped as old). */
  getWhatIfScenario(id: string): Promise<WhatIfScenario | undefined>;

  /**
   * Each appointment's driver-link token (appointment id → token), making one with `makeToken` for those of the
   * site-day that have none. A token never changes once made; instances racing keep the first.
   */
  ensureDriverLinks(
    siteId: string,
    dayStartMs: number,
    appointmentIds: readonly string[],
    makeToken: () => string,
    nowMs: number,
  ): Promise<Map<string, string>>;
  /** What a driver-link token opens; undefined for a token never made. */
  getDriverLink(token: string): Promise<DriverLink | undefined>;

  /** Deletes raw batches received before `rawBeforeMs` and history buckets before `historyBeforeMs`. */
  prune(rawBeforeMs: number, historyBeforeMs: number): Promise<{ rawBatches: number; historyPoints: number }>;
}
