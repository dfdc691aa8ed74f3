// @types/fhir has no exports map, so under NodeNext ESM its subpath needs the file extension.
import type { Bundle, Appointment as FhirAppointment } from 'fhir/r4.js';
import type { Appointment, BayKind } from '../model/index.js';
import {
  DEFAULT_ENTRANCE_ID,
  describeValue,
  invalid,
  parseInstant,
  parseKind,
  parseStatus,
  resolveEndMs,
} from './appointment-fields.js';

/** Extension URLs and the code system citybay reads from a FHIR R4 `Appointment` (see sim/README.md). */
export const FHIR_PARKING = {
  requiredKindUrl: 'https://citybay.dev/fhir/StructureDefinition/parking-required-kind',
  preferredKindUrl: 'https://citybay.dev/fhir/StructureDefinition/parking-preferred-kind',
  entranceUrl: 'https://citybay.dev/fhir/StructureDefinition/hospital-entrance',
  originZoneUrl: 'https://citybay.dev/fhir/StructureDefinition/origin-zone',
  /** Codings in `serviceType`/`appointmentType` with this system: `<kind>-required` or `<kind>-preferred`. */
  needCodeSystem: 'https://citybay.dev/fhir/CodeSystem/parking-need',
} as const;

interface Located {
  resource: unknown;
  path: string;
}

/** Accepts one `Appointment`, a `Bundle` of them, or a JSON array of them. */
export function parseFhirAppointments(document: unknown, fileName: string): Appointment[] {
  const located: Located[] = [];
  if (Array.isArray(document)) {
    document.forEach((resource, i) => {
      located.push({ resource, path: `[${i}]` });
    });
  } else if (isObject(document) && document.resourceType === 'Bundle') {
    const entries = (document as unknown as Bundle).entry ?? [];
    if (!Array.isArray(entries))
      invalid(fileName, 'entry', 'Bundle', `expected an array, got ${describeValue(entries)}`);
    entries.forEach((entry, i) => {
      located.push({ resource: (entry as { resource?: unknown }).resource, path: `entry[${i}].resource` });
    });
  } else {
    located.push({ resource: document, path: '' });
  }
  return located.map(({ resource, path }) => parseOne(resource, fileName, path));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseOne(resource: unknown, fileName: string, basePath: string): Appointment {
  const at = (field: string): string => (basePath === '' ? field : `${basePath}.${field}`);
  const where = basePath === '' ? 'resource' : basePath;
  if (!isObject(resource))
    invalid(fileName, where, where, `expected a FHIR resource object, got ${describeValue(resource)}`);
  if (resource.resourceType !== 'Appointment') {
    invalid(fileName, at('resourceType'), where, `expected "Appointment", got ${describeValue(resource.resourceType)}`);
  }
  const fhir = resource as unknown as FhirAppointment;
  if (typeof fhir.id !== 'string' || fhir.id === '')
    invalid(fileName, at('id'), where, `expected a non-empty id, got ${describeValue(fhir.id)}`);
  const item = `id "${fhir.id}"`;
  if (fhir.start === undefined) invalid(fileName, at('start'), item, 'expected a start time, got nothing');
  const startMs = parseInstant(fhir.start, fileName, at('start'), item);
  const endMs = resolveEndMs(
    startMs,
    fhir.end,
    fhir.minutesDuration,
    fileName,
    { end: at('end'), duration: at('minutesDuration') },
    item,
  );
  const status = parseStatus(fhir.status, fileName, at('status'), item);

  let requiredKind: BayKind | undefined;
  const preferredKinds: BayKind[] = [];
  let entranceId: string | undefined;
  let originZoneId: string | undefined;
  (fhir.extension ?? []).forEach((ext, i) => {
    const path = at(`extension[${i}].valueCode`);
    if (ext.url === FHIR_PARKING.requiredKindUrl) requiredKind = parseKind(ext.valueCode, fileName, path, item);
    else if (ext.url === FHIR_PARKING.preferredKindUrl)
      preferredKinds.push(parseKind(ext.valueCode, fileName, path, item));
    else if (ext.url === FHIR_PARKING.entranceUrl) entranceId = ext.valueString ?? ext.valueCode;
    else if (ext.url === FHIR_PARKING.originZoneUrl) originZoneId = ext.valueString ?? ext.valueCode;
  });
  const conceptLists = [
    ...(fhir.serviceType ?? []).map((concept, i) => ({ concept, path: at(`serviceType[${i}]`) })),
    ...(fhir.appointmentType === undefined ? [] : [{ concept: fhir.appointmentType, path: at('appointmentType') }]),
  ];
  for (const { concept, path } of conceptLists) {
    (concept.coding ?? []).forEach((coding, j) => {
      if (coding.system !== FHIR_PARKING.needCodeSystem) return;
      const codePath = `${path}.coding[${j}].code`;
      const match = /^([a-z]+)-(required|preferred)$/.exec(coding.code ?? '');
      if (match === null)
        invalid(
          fileName,
          codePath,
          item,
          `expected "<kind>-required" or "<kind>-preferred", got ${describeValue(coding.code)}`,
        );
      const kind = parseKind(match[1], fileName, codePath, item);
      if (match[2] === 'required') requiredKind = kind;
      else if (!preferredKinds.includes(kind)) preferredKinds.push(kind);
    });
  }

  let participantRef: string | undefined;
  (fhir.participant ?? []).forEach((participant) => {
    const reference = participant.actor?.reference;
    if (reference === undefined) return;
    if (reference.startsWith('Patient/') && participantRef === undefined) participantRef = reference;
    if (reference.startsWith('Location/') && entranceId === undefined) entranceId = reference.slice('Location/'.length);
  });

  const firstService = fhir.serviceType?.[0];
  const serviceType =
    firstService?.text ??
    firstService?.coding?.find((c) => c.system !== FHIR_PARKING.needCodeSystem)?.display ??
    fhir.appointmentType?.text;
  const appointment: Appointment = {
    id: fhir.id,
    startMs,
    endMs,
    status,
    entranceId: entranceId ?? DEFAULT_ENTRANCE_ID,
    needs: requiredKind === undefined ? { preferredKinds } : { requiredKind, preferredKinds },
  };
  if (serviceType !== undefined) appointment.serviceType = serviceType;
  if (originZoneId !== undefined) appointment.originZoneId = originZoneId;
  if (participantRef !== undefined) appointment.participantRef = participantRef;
  return appointment;
}
