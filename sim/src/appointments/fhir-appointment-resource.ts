import type { Appointment, BayKind } from '../model/index.js';
import {
  DEFAULT_ENTRANCE_ID,
  describeValue,
  invalid,
  optionalText,
  parseDurationMin,
  parseInstant,
  parseKind,
  parsePeriodBound,
  parseStatus,
  resolveEndMs,
  checkDuration,
} from './appointment-fields.js';
import { APPOINTMENT_LIMITS } from './appointment-limits.js';
import type { AppointmentFieldPaths, AppointmentIssue } from './appointment-read.js';

/** Extension URLs and the code system citybay reads from a FHIR R4 `Appointment` (see sim/README.md). */
export const FHIR_PARKING = {
  requiredKindUrl: 'https://citybay.dev/fhir/StructureDefinition/parking-required-kind',
  preferredKindUrl: 'https://citybay.dev/fhir/StructureDefinition/parking-preferred-kind',
  entranceUrl: 'https://citybay.dev/fhir/StructureDefinition/hospital-entrance',
  originZoneUrl: 'https://citybay.dev/fhir/StructureDefinition/origin-zone',
  /** Codings in `serviceType`/`appointmentType` with this system: `<kind>-required` or `<kind>-preferred`. */
  needCodeSystem: 'https://citybay.dev/fhir/CodeSystem/parking-need',
} as const;

/** FHIR `id`: letters, digits, `-` and `.`, 1–64 characters. */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
/** Statuses that may lack `start`/`end` (FHIR invariant app-3). */
const UNSCHEDULED_STATUSES = new Set(['proposed', 'cancelled', 'waitlist']);

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An object, or undefined when absent; anything else is a structure error at `path`. */
export function objectAt(value: unknown, path: string, item: string): JsonObject | undefined {
  if (value === undefined) return undefined;
  if (isObject(value)) return value;
  return invalid(path, item, `expected an object, got ${describeValue(value)}`, 'structure');
}

/** An array ([] when absent); anything else is a structure error at `path`. */
export function arrayAt(value: unknown, path: string, item: string): unknown[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  return invalid(path, item, `expected an array, got ${describeValue(value)}`, 'structure');
}

/** What the reader of one resource needs from the document around it. */
export interface ResourceContext {
  /** FHIRPath of the resource: `Appointment` or `Bundle.entry[2].resource`. */
  path: string;
  /** The id its entry's `request.url` names (`Appointment/<id>`), used when the resource has none. */
  requestId?: string;
  locationEntrances: ReadonlyMap<string, string>;
  utcOffsetMin: number;
  /** Receives the warnings about this resource (an unmapped `Location`). */
  warn(issue: Pick<AppointmentIssue, 'path' | 'message' | 'type'>): void;
}

/** `Location/1` from `Location/1`, `https://ehr.example/fhir/Location/1` or `Location/1/_history/2`. */
function locationKey(reference: string): string | undefined {
  return /(?:^|\/)(Location\/[A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]*)?$/.exec(reference)?.[1];
}

function idOf(resource: JsonObject, ctx: ResourceContext): { id: string; path: string } {
  const at = `${ctx.path}.id`;
  if (resource.id !== undefined) {
    if (typeof resource.id === 'string' && FHIR_ID.test(resource.id)) return { id: resource.id, path: at };
    return invalid(at, ctx.path, `expected a FHIR id (1–64 of A–Z a–z 0–9 - .), got ${describeValue(resource.id)}`);
  }
  if (ctx.requestId !== undefined) return { id: ctx.requestId, path: at };
  // A create in a transaction carries no id: its business identifier keys it instead.
  const identifiers = arrayAt(resource.identifier, `${ctx.path}.identifier`, ctx.path);
  const first = objectAt(identifiers[0], `${ctx.path}.identifier[0]`, ctx.path);
  const valuePath = `${ctx.path}.identifier[0].value`;
  const value = optionalText(first?.value, valuePath, ctx.path, APPOINTMENT_LIMITS.maxIdLength);
  if (value !== undefined && value !== '') return { id: value, path: valuePath };
  return invalid(at, ctx.path, 'expected an id (or an identifier with a value), got neither', 'required');
}

interface Needs {
  requiredKind?: BayKind;
  requiredPath?: string;
  preferredKinds: BayKind[];
  preferredPaths: string[];
}

function addNeed(needs: Needs, kind: BayKind, isRequired: boolean, path: string): void {
  if (isRequired) {
    needs.requiredKind = kind;
    needs.requiredPath = path;
  } else if (!needs.preferredKinds.includes(kind)) {
    needs.preferredKinds.push(kind);
    needs.preferredPaths.push(path);
  }
}

/** Reads one `Appointment` resource (its `resourceType` already checked); throws `FieldProblem` on a bad field. */
export function readFhirAppointment(
  resource: JsonObject,
  ctx: ResourceContext,
): { appointment: Appointment; fields: AppointmentFieldPaths } {
  const at = (field: string): string => `${ctx.path}.${field}`;
  const { id, path: idPath } = idOf(resource, ctx);
  const item = `id "${id}"`;
  const status = parseStatus(resource.status, at('status'), item);
  const { startMs, endMs, startPath } = timesOf(resource, status, ctx, item);

  const needs: Needs = { preferredKinds: [], preferredPaths: [] };
  let entrance: { id: string; path: string } | undefined;
  let originZoneId: string | undefined;
  arrayAt(resource.extension, at('extension'), item).forEach((raw, i) => {
    const extPath = at(`extension[${i}]`);
    const ext = objectAt(raw, extPath, item);
    if (ext === undefined) return invalid(extPath, item, 'expected an extension, got nothing', 'structure');
    const url = optionalText(ext.url, `${extPath}.url`, item);
    const codePath = `${extPath}.valueCode`;
    if (url === FHIR_PARKING.requiredKindUrl) addNeed(needs, parseKind(ext.valueCode, codePath, item), true, codePath);
    else if (url === FHIR_PARKING.preferredKindUrl)
      addNeed(needs, parseKind(ext.valueCode, codePath, item), false, codePath);
    else if (url === FHIR_PARKING.entranceUrl || url === FHIR_PARKING.originZoneUrl) {
      const field = ext.valueString === undefined ? 'valueCode' : 'valueString';
      const value = optionalText(ext[field], `${extPath}.${field}`, item, APPOINTMENT_LIMITS.maxIdLength);
      if (value === undefined || value === '')
        invalid(`${extPath}.valueString`, item, 'expected the id as valueString or valueCode', 'required');
      if (url === FHIR_PARKING.entranceUrl) entrance = { id: value, path: `${extPath}.${field}` };
      else originZoneId = value;
    }
  });

  const concepts: Array<{ concept: unknown; path: string }> = arrayAt(
    resource.serviceType,
    at('serviceType'),
    item,
  ).map((concept, i) => ({ concept, path: at(`serviceType[${i}]`) }));
  if (resource.appointmentType !== undefined)
    concepts.push({ concept: resource.appointmentType, path: at('appointmentType') });
  // Reports show serviceType[0] (its text, else its first display), else appointmentType's text.
  let serviceText: string | undefined;
  let typeText: string | undefined;
  concepts.forEach(({ concept: raw, path }, c) => {
    const concept = objectAt(raw, path, item) ?? invalid(path, item, 'expected a CodeableConcept', 'structure');
    const text = optionalText(concept.text, `${path}.text`, item);
    let display: string | undefined;
    arrayAt(concept.coding, `${path}.coding`, item).forEach((rawCoding, j) => {
      const codingPath = `${path}.coding[${j}]`;
      const coding =
        objectAt(rawCoding, codingPath, item) ?? invalid(codingPath, item, 'expected a Coding', 'structure');
      const system = optionalText(coding.system, `${codingPath}.system`, item);
      const code = optionalText(coding.code, `${codingPath}.code`, item);
      if (system !== FHIR_PARKING.needCodeSystem) {
        display ??= optionalText(coding.display, `${codingPath}.display`, item);
        return;
      }
      const match = /^([a-z]+)-(required|preferred)$/.exec(code ?? '');
      if (match === null)
        invalid(
          `${codingPath}.code`,
          item,
          `expected "<kind>-required" or "<kind>-preferred", got ${describeValue(code)}`,
        );
      addNeed(needs, parseKind(match[1], `${codingPath}.code`, item), match[2] === 'required', `${codingPath}.code`);
    });
    if (path === at('appointmentType')) typeText = text;
    else if (c === 0) serviceText = text ?? display;
  });
  serviceText ??= typeText;

  let participantRef: string | undefined;
  arrayAt(resource.participant, at('participant'), item).forEach((raw, i) => {
    const partPath = at(`participant[${i}]`);
    const participant = objectAt(raw, partPath, item) ?? invalid(partPath, item, 'expected a participant', 'structure');
    const actor = objectAt(participant.actor, `${partPath}.actor`, item);
    const refPath = `${partPath}.actor.reference`;
    const reference = optionalText(actor?.reference, refPath, item);
    if (reference === undefined) return;
    if (reference.startsWith('Patient/') || reference.startsWith('urn:uuid:')) participantRef ??= reference;
    const location = locationKey(reference);
    if (location === undefined) return;
    const mapped = ctx.locationEntrances.get(location);
    if (mapped === undefined) {
      ctx.warn({
        path: refPath,
        type: 'not-found',
        message: `${refPath} (${item}): ${reference} is not mapped to an entrance (locationEntrances); ignored`,
      });
    } else entrance ??= { id: mapped, path: refPath };
  });

  const appointment: Appointment = {
    id,
    startMs,
    endMs,
    status,
    entranceId: entrance?.id ?? DEFAULT_ENTRANCE_ID,
    needs:
      needs.requiredKind === undefined
        ? { preferredKinds: needs.preferredKinds }
        : { requiredKind: needs.requiredKind, preferredKinds: needs.preferredKinds },
  };
  if (serviceText !== undefined) appointment.serviceType = serviceText;
  if (originZoneId !== undefined) appointment.originZoneId = originZoneId;
  if (participantRef !== undefined) appointment.participantRef = participantRef;
  const fields: AppointmentFieldPaths = {
    id: idPath,
    start: startPath,
    status: at('status'),
    entrance: entrance?.path ?? ctx.path,
    preferredKinds: needs.preferredPaths,
  };
  if (needs.requiredPath !== undefined) fields.requiredKind = needs.requiredPath;
  return { appointment, fields };
}

/** `start`/`end` (or `minutesDuration`); for an unscheduled appointment without them, its requested period. */
function timesOf(
  resource: JsonObject,
  status: string,
  ctx: ResourceContext,
  item: string,
): { startMs: number; endMs: number; startPath: string } {
  const at = (field: string): string => `${ctx.path}.${field}`;
  if (resource.start !== undefined) {
    const startMs = parseInstant(resource.start, at('start'), item, false);
    const endMs = resolveEndMs(
      startMs,
      resource.end,
      resource.minutesDuration,
      { end: at('end'), duration: at('minutesDuration') },
      item,
      false,
    );
    return { startMs, endMs, startPath: at('start') };
  }
  const periods = arrayAt(resource.requestedPeriod, at('requestedPeriod'), item);
  if (periods.length === 0 || !UNSCHEDULED_STATUSES.has(status)) {
    return invalid(
      at('start'),
      item,
      UNSCHEDULED_STATUSES.has(status)
        ? 'expected start, or a requestedPeriod to plan on, got neither'
        : `a ${status} appointment needs a start (only proposed, cancelled and waitlist ones may go without)`,
      'required',
    );
  }
  // The earliest period: the first the car could come in.
  let chosen: { startMs: number; endMs: number; startPath: string } | undefined;
  periods.forEach((raw, i) => {
    const path = at(`requestedPeriod[${i}]`);
    const period = objectAt(raw, path, item) ?? invalid(path, item, 'expected a Period', 'structure');
    if (period.start === undefined) invalid(`${path}.start`, item, 'expected the start of the period', 'required');
    const startMs = parsePeriodBound(period.start, `${path}.start`, item, ctx.utcOffsetMin, false);
    let endMs: number;
    if (period.end !== undefined) {
      endMs = parsePeriodBound(period.end, `${path}.end`, item, ctx.utcOffsetMin, true);
      checkDuration(startMs, endMs, `${path}.end`, item);
    } else if (resource.minutesDuration !== undefined) {
      endMs = startMs + parseDurationMin(resource.minutesDuration, at('minutesDuration'), item, false) * 60_000;
    } else {
      return invalid(`${path}.end`, item, 'expected the end of the period (or minutesDuration)', 'required');
    }
    if (chosen === undefined || startMs < chosen.startMs) chosen = { startMs, endMs, startPath: `${path}.start` };
  });
  return chosen!;
}
