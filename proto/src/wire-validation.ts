import { decodeBayChanges } from './bay-states.js';
import type { BayStates, Directives, SignLine, SiteSummary, SyncRequest, SyncResponse } from './wire-types.js';
import { AreaStatus, Arrow, BayKind, Colour, DeviceStatus, LineMode } from './wire-types.js';

/** A problem found in a message: the path of the bad field and what is wrong with it. */
export interface WireIssue {
  path: string;
  message: string;
}

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
/** The largest site the contract accepts (bays per summary). */
export const MAX_BAYS_PER_SITE = 100_000;
/** The most summaries one sync request may carry. */
export const MAX_SUMMARIES_PER_REQUEST = 5_000;
/**
 * Every seq on the wire is below this (2^48): summaries' `seq` and `mergedFromSeq`, `ackedSeq`,
 * `missingSeqs`. 2^48 summaries last 89,000 years at one per 10 ms, and every seq stays exact in a double.
 */
export const SEQ_LIMIT = 2 ** 48;
/**
 * Central refuses a summary whose seq is more than this (2^32) past the highest seq it holds from the
 * edge: a jump that large is a corrupt seq, and taking it would leave the edge no seqs to continue with.
 */
export const MAX_SEQ_JUMP = 2 ** 32;

/** True when `seq` is a whole number with 1 ≤ seq < {@link SEQ_LIMIT}. */
export function isValidSeq(seq: number): boolean {
  return Number.isSafeInteger(seq) && seq >= 1 && seq < SEQ_LIMIT;
}

const SEQ_RULE = `must be a whole number from 1 to 2^48 - 1 (${SEQ_LIMIT - 1})`;

const enumValues = (e: object): Set<number> => new Set(Object.values(e).filter((v) => typeof v === 'number'));
const KNOWN = {
  kind: new Set([...enumValues(BayKind)].filter((v) => v !== BayKind.BAY_KIND_UNSPECIFIED)),
  deviceStatus: enumValues(DeviceStatus),
  arrow: enumValues(Arrow),
  mode: enumValues(LineMode),
  colour: enumValues(Colour),
  areaStatus: new Set([...enumValues(AreaStatus)].filter((v) => v !== AreaStatus.AREA_STATUS_UNSPECIFIED)),
};

class IssueCollector {
  readonly issues: WireIssue[] = [];
  add(path: string, message: string): void {
    if (this.issues.length < 20) this.issues.push({ path, message });
  }
  id(path: string, value: string | null | undefined, isRequired = true): void {
    if (!value) {
      if (isRequired) this.add(path, 'is required');
    } else if (!ID_PATTERN.test(value)) {
      this.add(path, `"${value.slice(0, 40)}" is not an id (letters, digits, . _ : -, at most 64)`);
    }
  }
  member(path: string, value: number | null | undefined, known: Set<number>): void {
    if (!known.has(value ?? 0)) this.add(path, `unknown value ${value ?? 0}`);
  }
}

/** Checks what protobuf itself cannot: ids, ranges, enum values, bitmap sizes, seq order. */
export function validateSyncRequest(request: SyncRequest): WireIssue[] {
  const c = new IssueCollector();
  c.id('siteId', request.siteId);
  c.id('edgeId', request.edgeId);
  const summaries = request.summaries ?? [];
  if (summaries.length > MAX_SUMMARIES_PER_REQUEST) {
    c.add('summaries', `${summaries.length} summaries, at most ${MAX_SUMMARIES_PER_REQUEST} per request`);
    return c.issues;
  }
  let previousSeq = 0;
  summaries.forEach((summary, i) => {
    const path = `summaries[${i}]`;
    const from = summary.mergedFromSeq ?? 0;
    if (from !== 0 && from <= previousSeq) {
      c.add(`${path}.mergedFromSeq`, `${from} overlaps the summary before (seq ${previousSeq})`);
    }
    // Empty means "the request's"; anything else must match it.
    if (summary.siteId && summary.siteId !== request.siteId) c.add(`${path}.siteId`, 'differs from the request siteId');
    if (summary.edgeId && summary.edgeId !== request.edgeId) c.add(`${path}.edgeId`, 'differs from the request edgeId');
    validateSummaryBody(c, summary, path);
    const seq = summary.seq ?? 0;
    if (seq <= previousSeq && seq !== 0) c.add(`${path}.seq`, `${seq} does not increase (previous ${previousSeq})`);
    previousSeq = seq;
  });
  return c.issues;
}

function validateSummaryBody(c: IssueCollector, summary: SiteSummary, path: string): void {
  const seq = summary.seq ?? 0;
  if (!isValidSeq(seq)) c.add(`${path}.seq`, `${seq} ${SEQ_RULE}`);
  const mergedFrom = summary.mergedFromSeq ?? 0;
  if (mergedFrom !== 0 && (!isValidSeq(mergedFrom) || mergedFrom > seq)) {
    c.add(`${path}.mergedFromSeq`, `${mergedFrom} must be 0 or a seq from 1 to the summary's seq ${seq}`);
  }
  const start = summary.windowStartMs ?? 0;
  const end = summary.windowEndMs ?? 0;
  if (start <= 0) c.add(`${path}.windowStartMs`, 'is required (ms since the epoch)');
  if (end < start) c.add(`${path}.windowEndMs`, `${end} is before windowStartMs ${start}`);
  const zoneChanges = summary.zoneChanges ?? [];
  if (summary.isSnapshot === true) {
    if (zoneChanges.length > 0) c.add(`${path}.zoneChanges`, 'must be empty in a snapshot');
  } else {
    if ((summary.zones ?? []).length > 0)
      c.add(`${path}.zones`, 'must be empty in a change-only summary (use zoneChanges)');
    if (zoneChanges.length % 5 !== 0) c.add(`${path}.zoneChanges`, `${zoneChanges.length} numbers, not groups of five`);
    for (let i = 1; i < zoneChanges.length; i += 5) c.member(`${path}.zoneChanges[${i}]`, zoneChanges[i], KNOWN.kind);
  }
  summary.zones?.forEach((zone, z) => {
    const zonePath = `${path}.zones[${z}]`;
    c.id(`${zonePath}.lotId`, zone.lotId);
    c.id(`${zonePath}.zoneId`, zone.zoneId, false);
    const seen = new Set<number>();
    zone.kinds?.forEach((k, j) => {
      c.member(`${zonePath}.kinds[${j}].kind`, k.kind, KNOWN.kind);
      if (seen.has(k.kind ?? 0)) c.add(`${zonePath}.kinds[${j}].kind`, 'appears twice in the zone');
      seen.add(k.kind ?? 0);
    });
  });
  if (summary.bays) validateBays(c, summary.bays, summary.isSnapshot === true, `${path}.bays`);
  summary.gates?.forEach((gate, g) => {
    c.id(`${path}.gates[${g}].lotId`, gate.lotId);
    c.id(`${path}.gates[${g}].gateId`, gate.gateId, false);
  });
  summary.devices?.forEach((device, d) => {
    c.id(`${path}.devices[${d}].deviceId`, device.deviceId);
    c.member(`${path}.devices[${d}].status`, device.status, KNOWN.deviceStatus);
  });
  summary.signs?.forEach((sign, s) => {
    c.id(`${path}.signs[${s}].signId`, sign.signId);
    sign.lines?.forEach((line, l) => {
      validateLine(c, line, `${path}.signs[${s}].lines[${l}]`);
    });
  });
}

function validateBays(c: IssueCollector, bays: BayStates, isSnapshot: boolean, path: string): void {
  const bayCount = bays.bayCount ?? 0;
  if (bayCount > MAX_BAYS_PER_SITE) {
    c.add(`${path}.bayCount`, `${bayCount} bays, at most ${MAX_BAYS_PER_SITE}`);
    return;
  }
  const snapshot = bays.snapshot ?? new Uint8Array(0);
  const changes = bays.changes ?? [];
  if (isSnapshot) {
    if (snapshot.length !== Math.ceil(bayCount / 4)) {
      c.add(`${path}.snapshot`, `${snapshot.length} bytes, expected ${Math.ceil(bayCount / 4)} for ${bayCount} bays`);
    }
    for (let i = 0; i < bayCount; i++) {
      if ((((snapshot[i >> 2] ?? 0) >> ((i & 3) * 2)) & 3) === 3) {
        c.add(`${path}.snapshot`, `bay ${i} has state code 3, which is not a state`);
        break;
      }
    }
    if (changes.length > 0) c.add(`${path}.changes`, 'must be empty in a snapshot');
    return;
  }
  if (snapshot.length > 0) c.add(`${path}.snapshot`, 'must be empty in a change-only summary');
  decodeBayChanges(changes).forEach((change, i) => {
    if (i > 0 && (changes[i] ?? 0) >>> 2 === 0) c.add(`${path}.changes[${i}]`, `bay ${change.index} listed twice`);
    if (change.index >= bayCount) c.add(`${path}.changes[${i}]`, `bay ${change.index} is beyond bayCount ${bayCount}`);
    if (change.state > 2) c.add(`${path}.changes[${i}]`, `state code ${change.state} is not a state`);
  });
}

function validateLine(c: IssueCollector, line: SignLine, path: string): void {
  c.member(`${path}.arrow`, line.arrow, KNOWN.arrow);
  c.member(`${path}.mode`, line.mode, KNOWN.mode);
  c.member(`${path}.colour`, line.colour, KNOWN.colour);
}

export function validateSyncResponse(response: SyncResponse): WireIssue[] {
  const c = new IssueCollector();
  const acked = response.ackedSeq ?? 0;
  if (acked !== 0 && !isValidSeq(acked)) c.add('ackedSeq', `${acked} must be 0 or a whole number below 2^48`);
  const missing = response.missingSeqs ?? [];
  const bad = missing.findIndex((seq) => !isValidSeq(seq));
  if (bad >= 0) c.add(`missingSeqs[${bad}]`, `${missing[bad]} ${SEQ_RULE}`);
  if (response.directives) validateDirectives(c, response.directives, 'directives');
  return c.issues;
}

function validateDirectives(c: IssueCollector, directives: Directives, path: string): void {
  c.id(`${path}.siteId`, directives.siteId);
  directives.reservations?.forEach((r, i) => {
    const p = `${path}.reservations[${i}]`;
    c.id(`${p}.reservationId`, r.reservationId);
    c.id(`${p}.lotId`, r.lotId);
    c.id(`${p}.zoneId`, r.zoneId, false);
    c.member(`${p}.kind`, r.kind, KNOWN.kind);
    if ((r.validUntilMs ?? 0) <= (r.validFromMs ?? 0)) c.add(`${p}.validUntilMs`, 'must be after validFromMs');
  });
  directives.lotOverrides?.forEach((o, i) => {
    const p = `${path}.lotOverrides[${i}]`;
    c.id(`${p}.lotId`, o.lotId);
    c.id(`${p}.zoneId`, o.zoneId, false);
    c.member(`${p}.status`, o.status, KNOWN.areaStatus);
    const until = o.validUntilMs ?? 0;
    if (until !== 0 && until <= (o.validFromMs ?? 0)) c.add(`${p}.validUntilMs`, 'must be after validFromMs (or 0)');
  });
  directives.signOverrides?.forEach((o, i) => {
    const p = `${path}.signOverrides[${i}]`;
    c.id(`${p}.signId`, o.signId);
    if ((o.expiresMs ?? 0) <= 0) c.add(`${p}.expiresMs`, 'is required: an override without expiry never ends');
    o.lines?.forEach((line, l) => {
      validateLine(c, line, `${p}.lines[${l}]`);
    });
  });
}
