import type { BayReservation, Directives, LotOverride, SignOverride, SyncRequest } from '@citybay/proto';
import type { ScenarioResult } from '@citybay/sim';
import type { AppointmentDay } from '../core/appointment-day-record.js';
import type { DriverLink } from '../core/driver-link.js';
import type { DirectivesLogEntry, EdgeRecord, EdgeStatus } from '../core/edge-record.js';
import type { NewScenarioJob, ScenarioJobLease, ScenarioJobRecord } from '../core/scenario-job-record.js';
import type { SiteDefinition } from '../core/site-definition.js';
import type {
  DeviceHealthRecord,
  GateCountRecord,
  HistoryPoint,
  HistoryQuery,
  IngestResult,
  SignFaceRecord,
  ZoneState,
} from '../core/sync-records.js';
import type { WhatIfScenario, WhatIfScenarioSummary } from '../core/whatif-scenario.js';

// The records live in core (the pure code plans with them); re-exported so the store's users import one place.
export type * from '../core/appointment-day-record.js';
export type * from '../core/driver-link.js';
export type * from '../core/edge-record.js';
export type * from '../core/scenario-job-record.js';
export type * from '../core/sync-records.js';
export type * from '../core/whatif-scenario.js';

// One interface per aggregate; each is written once over `SqlRunner` (sql-runner.ts) in `<aggregate>-repository.ts`,
// except sync ingest, which has a tuned path per engine behind the pure planner (core/ingest-plan.ts).

/** Sites and their edges (identity and secrets). */
export interface SiteRepository {
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
}

/** Sync batches from edges and the state they leave: zones, history, devices, signs, gates. */
export interface SyncRepository {
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
  /** Deletes raw batches received before `rawBeforeMs` and history buckets before `historyBeforeMs`. */
  prune(rawBeforeMs: number, historyBeforeMs: number): Promise<{ rawBatches: number; historyPoints: number }>;
}

/** Each site's directives (overrides, reservations), versioned, and the log of versions sent to edges. */
export interface DirectivesRepository {
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
}

/** A site's appointments by day, versioned, saved with the reservations they make. */
export interface AppointmentDayRepository {
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
}

/** Engineers' scenario jobs, shared by every instance on the database, with their owner's heartbeat. */
export interface ScenarioJobRepository {
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
}

/** The what-if page's scenario catalogue. */
export interface WhatIfRepository {
  /**
   * Stores a what-if scenario as the newest of the catalogue, replacing one with the same id, then deletes all but
   * the newest `keepNewest` (at least 1) in the same transaction; returns how many were deleted.
   */
  putWhatIfScenario(scenario: WhatIfScenario, keepNewest: number): Promise<number>;
  /** The catalogue, oldest first, without scenario files. */
  listWhatIfScenarios(): Promise<WhatIfScenarioSummary[]>;
  /** One scenario with its files, as it was put; undefined when none has that id (never, or dropped as old). */
  getWhatIfScenario(id: string): Promise<WhatIfScenario | undefined>;
}

/** Drivers' links: one token per appointment of a site-day. */
export interface DriverLinkRepository {
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
  /** Deletes the links of days that started before `beforeDayStartMs`; answers how many. */
  pruneDriverLinks(beforeDayStartMs: number): Promise<number>;
}

/**
 * Everything central persists: every aggregate's methods under one name (a facade: callers may take the one
 * aggregate they use). Two engines (`store-sqlite.ts`, `store-postgres.ts`) pass the same contract suite
 * (`test/contract/`); every method is atomic.
 */
export interface CentralStore
  extends
    SiteRepository,
    SyncRepository,
    DirectivesRepository,
    AppointmentDayRepository,
    ScenarioJobRepository,
    WhatIfRepository,
    DriverLinkRepository {
  readonly kind: 'sqlite' | 'postgres';
  /** Applies pending migrations; returns the versions applied now. */
  migrate(): Promise<number[]>;
  close(): Promise<void>;
  /** True when the database answers. */
  ping(): Promise<boolean>;
}
