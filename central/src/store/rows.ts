import type { HistoryBucket } from '../core/history-bucket.js';
import type { SignLine } from '@citybay/proto';
import type {
  AppointmentDay,
  DeviceHealthRecord,
  DeviceStatusName,
  EdgeStatus,
  EdgeSyncState,
  GateCountRecord,
  ScenarioJobRecord,
  ScenarioJobStatus,
  SignFaceRecord,
  WhatIfScenarioSummary,
  ZoneState,
} from './store.js';

// Row shapes shared by both stores (same column names); numbers arrive as numbers in both.
type Row = Record<string, unknown>;
const n = (v: unknown): number => Number(v);
const s = (v: unknown): string => String(v);

export function zoneStateFromRow(r: Row): ZoneState {
  return {
    siteId: s(r.site_id),
    lotId: s(r.lot_id),
    zoneId: s(r.zone_id),
    kinds: JSON.parse(s(r.kinds_json)),
    free: n(r.free),
    occupied: n(r.occupied),
    unknown: n(r.unknown),
    windowEndMs: n(r.window_end_ms),
    edgeId: s(r.edge_id),
    seq: n(r.seq),
  };
}

export function historyRowFromRow(r: Row): { siteId: string; bucketMs: number; bucket: HistoryBucket } {
  return { siteId: s(r.site_id), bucketMs: n(r.bucket_ms), bucket: JSON.parse(s(r.zones_json)) as HistoryBucket };
}

export function deviceFromRow(r: Row): DeviceHealthRecord {
  return {
    siteId: s(r.site_id),
    deviceId: s(r.device_id),
    edgeId: s(r.edge_id),
    status: s(r.status) as DeviceStatusName,
    okCount: n(r.ok_count),
    timeoutCount: n(r.timeout_count),
    crcErrorCount: n(r.crc_error_count),
    exceptionCount: n(r.exception_count),
    lastGoodMs: n(r.last_good_ms),
    reportedMs: n(r.reported_ms),
  };
}

export function signFromRow(r: Row): SignFaceRecord {
  return {
    siteId: s(r.site_id),
    signId: s(r.sign_id),
    edgeId: s(r.edge_id),
    lines: JSON.parse(s(r.lines_json)) as SignLine[],
    isFallback: n(r.is_fallback) === 1,
    reportedMs: n(r.reported_ms),
  };
}

export function gateFromRow(r: Row): GateCountRecord {
  return {
    siteId: s(r.site_id),
    lotId: s(r.lot_id),
    gateId: s(r.gate_id),
    entriesTotal: n(r.entries_total),
    exitsTotal: n(r.exits_total),
    reportedMs: n(r.reported_ms),
  };
}

export function edgeStatusFromRow(r: Row, missingSeqCount: number): EdgeStatus {
  return {
    edgeId: s(r.edge_id),
    siteId: s(r.site_id),
    ackedSeq: n(r.acked_seq),
    missingSeqCount,
    lastSeenMs: n(r.last_seen_ms),
    softwareVersion: s(r.software_version),
    configVersion: s(r.config_version),
    directivesVersionApplied: n(r.directives_applied),
    directivesVersionSent: n(r.directives_sent),
    secretCount: n(r.secret_count),
  };
}

export function syncStateFromRow(r: Row): EdgeSyncState {
  const bayBlob = r.bay_states as Uint8Array | null;
  return {
    ackedSeq: n(r.acked_seq),
    gaps: JSON.parse(s(r.gaps_json)),
    bayStates: bayBlob ? new Uint8Array(bayBlob) : null,
    baysSeq: n(r.bays_seq),
    directivesVersionSent: n(r.directives_sent),
    zoneTable: r.zones_json === null || r.zones_json === undefined ? null : JSON.parse(s(r.zones_json)),
    zonesSeq: n(r.zones_seq),
  };
}

export function appointmentDayFromRow(r: Row): AppointmentDay {
  return {
    siteId: s(r.site_id),
    dayStartMs: n(r.day_start_ms),
    version: n(r.version),
    appointments: JSON.parse(s(r.appointments_json)),
    assignments: JSON.parse(s(r.assignments_json)),
  };
}

/** The columns both stores select for a scenario job: everything but the results. */
export const SCENARIO_JOB_COLUMNS =
  'job_id, name, status, runs_json, completed_runs, owner_id, submitted_ms, heartbeat_ms, finished_ms, error';

export function scenarioJobFromRow(r: Row): ScenarioJobRecord {
  return {
    id: s(r.job_id),
    name: s(r.name),
    status: s(r.status) as ScenarioJobStatus,
    runs: JSON.parse(s(r.runs_json)),
    completedRuns: n(r.completed_runs),
    ownerId: s(r.owner_id),
    submittedMs: n(r.submitted_ms),
    heartbeatMs: n(r.heartbeat_ms),
    ...(r.finished_ms === null || r.finished_ms === undefined ? {} : { finishedMs: n(r.finished_ms) }),
    ...(r.error === null || r.error === undefined ? {} : { error: s(r.error) }),
  };
}

export const WHATIF_SUMMARY_COLUMNS = 'scenario_id, name, description, policies_json';

export function whatIfSummaryFromRow(r: Row): WhatIfScenarioSummary {
  return {
    id: s(r.scenario_id),
    name: s(r.name),
    ...(r.description === null || r.description === undefined ? {} : { description: s(r.description) }),
    policies: JSON.parse(s(r.policies_json)) as string[],
  };
}

/** Text stored as bytes on one engine and as text on the other (`Dialect.bytes`), read back as text. */
export function textOf(value: unknown): string {
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
}
