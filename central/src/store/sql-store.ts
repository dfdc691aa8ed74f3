import type { BayReservation, Directives, LotOverride, SignOverride, SyncRequest } from '@citybay/proto';
import type { ScenarioResult } from '@citybay/sim';
import type { AppointmentDay } from '../core/appointment-day-record.js';
import type { NewScenarioJob, ScenarioJobLease } from '../core/scenario-job-record.js';
import type { SiteDefinition } from '../core/site-definition.js';
import type { HistoryQuery, IngestResult } from '../core/sync-records.js';
import type { WhatIfScenario } from '../core/whatif-scenario.js';
import { SqlAppointmentDayRepository } from './appointment-day-repository.js';
import { DirectivesCache } from './directives-cache.js';
import { SqlDirectivesRepository } from './directives-repository.js';
import { SqlDriverLinkRepository } from './driver-link-repository.js';
import { SqlScenarioJobRepository } from './scenario-job-repository.js';
import { SqlSiteRepository } from './site-repository.js';
import type { SqlRunner } from './sql-runner.js';
import type { CentralStore } from './store.js';
import { SqlSyncReads } from './sync-repository.js';
import { SqlWhatIfRepository } from './whatif-repository.js';

/**
 * `CentralStore` over the aggregate repositories, each written once on a `SqlRunner`; an engine supplies the
 * runner, its tuned ingest path, migrations and lifecycle (`store-sqlite.ts`, `store-postgres.ts`). The flat
 * methods keep the interface every caller uses; the repositories are there for callers that need only one.
 */
export abstract class SqlStore implements CentralStore {
  abstract readonly kind: 'sqlite' | 'postgres';
  /** Shared by the directives repository and the engine's ingest path. */
  protected readonly directivesCache = new DirectivesCache();
  readonly directives: SqlDirectivesRepository;
  readonly sites: SqlSiteRepository;
  readonly sync: SqlSyncReads;
  readonly appointmentDays: SqlAppointmentDayRepository;
  readonly scenarioJobs: SqlScenarioJobRepository;
  readonly whatIf: SqlWhatIfRepository;
  readonly driverLinks: SqlDriverLinkRepository;

  protected constructor(protected readonly runner: SqlRunner) {
    this.directives = new SqlDirectivesRepository(runner, this.directivesCache);
    this.sites = new SqlSiteRepository(runner, this.directives);
    this.sync = new SqlSyncReads(runner);
    this.appointmentDays = new SqlAppointmentDayRepository(runner, this.directives);
    this.scenarioJobs = new SqlScenarioJobRepository(runner);
    this.whatIf = new SqlWhatIfRepository(runner);
    this.driverLinks = new SqlDriverLinkRepository(runner);
  }

  abstract migrate(): Promise<number[]>;
  abstract close(): Promise<void>;
  abstract ping(): Promise<boolean>;
  abstract ingest(request: SyncRequest, rawBody: Uint8Array, receivedMs: number): Promise<IngestResult>;

  putSite(site: SiteDefinition, nowMs: number) {
    return this.sites.putSite(site, nowMs);
  }
  getSite(siteId: string) {
    return this.sites.getSite(siteId);
  }
  listSites() {
    return this.sites.listSites();
  }
  listSiteVersions() {
    return this.sites.listSiteVersions();
  }
  addEdge(siteId: string, edgeId: string, secretHash: string, nowMs: number) {
    return this.sites.addEdge(siteId, edgeId, secretHash, nowMs);
  }
  addEdgeSecret(edgeId: string, secretHash: string, nowMs: number) {
    return this.sites.addEdgeSecret(edgeId, secretHash, nowMs);
  }
  dropOldEdgeSecrets(edgeId: string) {
    return this.sites.dropOldEdgeSecrets(edgeId);
  }
  getEdge(edgeId: string) {
    return this.sites.getEdge(edgeId);
  }
  listEdgeStatus(siteId: string) {
    return this.sites.listEdgeStatus(siteId);
  }

  listZoneStates(siteId: string) {
    return this.sync.listZoneStates(siteId);
  }
  listHistory(query: HistoryQuery) {
    return this.sync.listHistory(query);
  }
  listDevices(siteId: string) {
    return this.sync.listDevices(siteId);
  }
  listSigns(siteId: string) {
    return this.sync.listSigns(siteId);
  }
  listGates(siteId: string) {
    return this.sync.listGates(siteId);
  }
  listRawBatches(edgeId: string) {
    return this.sync.listRawBatches(edgeId);
  }
  prune(rawBeforeMs: number, historyBeforeMs: number) {
    return this.sync.prune(rawBeforeMs, historyBeforeMs);
  }

  getDirectives(siteId: string): Promise<Directives> {
    return this.directives.getDirectives(siteId);
  }
  putLotOverride(siteId: string, override: LotOverride, nowMs: number) {
    return this.directives.putLotOverride(siteId, override, nowMs);
  }
  removeLotOverride(siteId: string, lotId: string, zoneId: string, nowMs: number) {
    return this.directives.removeLotOverride(siteId, lotId, zoneId, nowMs);
  }
  putSignOverride(siteId: string, override: SignOverride, nowMs: number) {
    return this.directives.putSignOverride(siteId, override, nowMs);
  }
  removeSignOverride(siteId: string, signId: string, nowMs: number) {
    return this.directives.removeSignOverride(siteId, signId, nowMs);
  }
  updateReservations(siteId: string, upsert: readonly BayReservation[], removeIds: readonly string[], nowMs: number) {
    return this.directives.updateReservations(siteId, upsert, removeIds, nowMs);
  }
  listDirectivesLog(siteId: string, limit: number) {
    return this.directives.listDirectivesLog(siteId, limit);
  }

  getAppointmentDay(siteId: string, dayStartMs: number) {
    return this.appointmentDays.getAppointmentDay(siteId, dayStartMs);
  }
  appointmentDaysOf(siteId: string, appointmentIds: readonly string[]) {
    return this.appointmentDays.appointmentDaysOf(siteId, appointmentIds);
  }
  saveAppointmentDays(
    siteId: string,
    days: readonly AppointmentDay[],
    reservations: { upsert: readonly BayReservation[]; removeIds: readonly string[] },
    nowMs: number,
  ) {
    return this.appointmentDays.saveAppointmentDays(siteId, days, reservations, nowMs);
  }

  createScenarioJob(job: NewScenarioJob, nowMs: number) {
    return this.scenarioJobs.createScenarioJob(job, nowMs);
  }
  recordScenarioJobProgress(id: string, completedRuns: number, lease: ScenarioJobLease) {
    return this.scenarioJobs.recordScenarioJobProgress(id, completedRuns, lease);
  }
  finishScenarioJob(id: string, results: readonly ScenarioResult[], lease: ScenarioJobLease) {
    return this.scenarioJobs.finishScenarioJob(id, results, lease);
  }
  failScenarioJob(id: string, error: string, lease: ScenarioJobLease) {
    return this.scenarioJobs.failScenarioJob(id, error, lease);
  }
  failOwnedScenarioJobs(ownerId: string, error: string, nowMs: number) {
    return this.scenarioJobs.failOwnedScenarioJobs(ownerId, error, nowMs);
  }
  getScenarioJob(id: string, lease: ScenarioJobLease) {
    return this.scenarioJobs.getScenarioJob(id, lease);
  }
  listScenarioJobs(lease: ScenarioJobLease) {
    return this.scenarioJobs.listScenarioJobs(lease);
  }
  getScenarioJobResults(id: string) {
    return this.scenarioJobs.getScenarioJobResults(id);
  }
  pruneScenarioJobs(keepFinished: number, lease: ScenarioJobLease) {
    return this.scenarioJobs.pruneScenarioJobs(keepFinished, lease);
  }

  putWhatIfScenario(scenario: WhatIfScenario, keepNewest: number) {
    return this.whatIf.putWhatIfScenario(scenario, keepNewest);
  }
  listWhatIfScenarios() {
    return this.whatIf.listWhatIfScenarios();
  }
  getWhatIfScenario(id: string) {
    return this.whatIf.getWhatIfScenario(id);
  }

  pruneDriverLinks(beforeDayStartMs: number) {
    return this.driverLinks.pruneDriverLinks(beforeDayStartMs);
  }
  ensureDriverLinks(
    siteId: string,
    dayStartMs: number,
    appointmentIds: readonly string[],
    makeToken: () => string,
    nowMs: number,
  ) {
    return this.driverLinks.ensureDriverLinks(siteId, dayStartMs, appointmentIds, makeToken, nowMs);
  }
  getDriverLink(token: string) {
    return this.driverLinks.getDriverLink(token);
  }
}
