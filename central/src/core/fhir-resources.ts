import type { AppointmentAnswer } from './appointment-day.js';
import type { PlanIssue } from './appointment-checks.js';

/** The FHIR R4 JSON media type (`; fhirVersion=4.0` may follow). */
export const FHIR_JSON = 'application/fhir+json';
export const FHIR_VERSION = '4.0.1';
/** Where citybay's own FHIR definitions live (extension and code system URLs). */
const CITYBAY_FHIR = 'https://citybay.dev/fhir';
/** Complex extension carrying the parking assignment on an answered `Appointment`. */
export const PARKING_ASSIGNMENT_URL = `${CITYBAY_FHIR}/StructureDefinition/parking-assignment`;
/** Code system of citybay's error codes (`CB_…`), in `OperationOutcome.issue.details`. */
export const ERROR_CODE_SYSTEM = `${CITYBAY_FHIR}/CodeSystem/error-code`;

type Json = Record<string, unknown>;

/** FHIR `IssueType` for an HTTP status (errors that are not about a field of the request). */
export function issueTypeOfStatus(statusCode: number): string {
  const byStatus: Record<number, string> = {
    400: 'invalid',
    401: 'login',
    403: 'forbidden',
    404: 'not-found',
    409: 'conflict',
    413: 'too-costly',
    415: 'not-supported',
    422: 'business-rule',
    429: 'throttled',
    503: 'transient',
  };
  return byStatus[statusCode] ?? (statusCode >= 500 ? 'exception' : 'invalid');
}

/** One `OperationOutcome.issue`: FHIRPath `expression`, citybay code in `details`, message in `diagnostics`. */
export function outcomeIssue(issue: PlanIssue): Json {
  return {
    severity: issue.severity,
    code: issue.type,
    ...(issue.code === undefined
      ? {}
      : { details: { coding: [{ system: ERROR_CODE_SYSTEM, code: issue.code }], text: issue.message } }),
    diagnostics: issue.message,
    ...(issue.path === '' ? {} : { expression: [issue.path] }),
  };
}

/** An `OperationOutcome` of the issues; one `information` "all ok" issue when there are none (FHIR needs one). */
export function operationOutcome(issues: readonly PlanIssue[]): Json {
  return {
    resourceType: 'OperationOutcome',
    issue:
      issues.length > 0
        ? issues.map(outcomeIssue)
        : [{ severity: 'information', code: 'informational', diagnostics: 'ok' }],
  };
}

/**
 * The assignment as a complex extension (`placed`, `lot`, `zone`, `kind`, `arrivalWindow`, `holdUntil`, `route`,
 * `outcome`, `driverLink`, `driverLinkQrCode`).
 */
export function assignmentExtension(answer: AppointmentAnswer): Json {
  const parts: Json[] = [{ url: 'placed', valueBoolean: answer.placed }];
  if (answer.lotId !== undefined) parts.push({ url: 'lot', valueString: answer.lotId });
  if (answer.lotName !== undefined) parts.push({ url: 'lotName', valueString: answer.lotName });
  if (answer.zoneId !== undefined) parts.push({ url: 'zone', valueString: answer.zoneId });
  if (answer.kind !== undefined) parts.push({ url: 'kind', valueCode: answer.kind });
  if (answer.arrivalWindow !== undefined) {
    parts.push({
      url: 'arrivalWindow',
      valuePeriod: { start: answer.arrivalWindow.from, end: answer.arrivalWindow.to },
    });
  }
  if (answer.holdUntilMs !== undefined)
    parts.push({ url: 'holdUntil', valueInstant: new Date(answer.holdUntilMs).toISOString() });
  parts.push({ url: 'route', valueString: answer.routeText });
  parts.push({ url: 'outcome', valueCode: answer.outcome });
  // The patient's page and its QR code: what the hospital sends on.
  if (answer.driverLink !== undefined) {
    parts.push({ url: 'driverLink', valueUrl: answer.driverLink.url });
    parts.push({ url: 'driverLinkQrCode', valueUrl: answer.driverLink.qrUrl });
  }
  return { url: PARKING_ASSIGNMENT_URL, extension: parts };
}

/**
 * The Appointment as sent, with its id (a create gets the key it is stored under) and the assignment as an
 * extension (any assignment extension sent along is replaced).
 */
export function answeredAppointment(resource: Json, appointmentId: string, answer: AppointmentAnswer): Json {
  const extension = Array.isArray(resource.extension)
    ? resource.extension.filter((e) => (e as { url?: unknown } | null)?.url !== PARKING_ASSIGNMENT_URL)
    : [];
  return { ...resource, id: appointmentId, extension: [...extension, assignmentExtension(answer)] };
}

/** `Bundle.entry.response.status` text for an HTTP status. */
export function responseStatus(statusCode: number): string {
  const reason: Record<number, string> = {
    200: 'OK',
    201: 'Created',
    400: 'Bad Request',
    422: 'Unprocessable Entity',
  };
  return `${statusCode} ${reason[statusCode] ?? ''}`.trim();
}
