import type { Appointment } from '../model/index.js';

/**
 * What is wrong (or worth saying) about one place in an appointment document. `type` is the FHIR
 * `OperationOutcome.issue.code` it maps to, so a FHIR server can answer with it unchanged.
 */
export interface AppointmentIssue {
  severity: 'error' | 'warning' | 'information';
  type: 'structure' | 'required' | 'value' | 'invalid' | 'not-supported' | 'not-found' | 'too-costly' | 'informational';
  /** Where: a FHIRPath into the request for FHIR (`Bundle.entry[2].resource.start`), a JSON path or CSV line otherwise. */
  path: string;
  /** What is wrong and what was expected, without the file name. */
  message: string;
  /** The entry (Bundle entry, array item, CSV row; 0-based) it belongs to; none for the document as a whole. */
  entry?: number;
}

/** Paths of the fields an appointment's values were read from, for checks made later (past, entrance known). */
export interface AppointmentFieldPaths {
  id: string;
  /** `start`, or the requested period's start it was planned on. */
  start: string;
  status: string;
  /** The extension or participant that named the entrance; the resource itself when it defaulted. */
  entrance: string;
  /** The extension or coding of the required kind, when there is one. */
  requiredKind?: string;
  /** One per preferred kind, in order. */
  preferredKinds: string[];
}

/** One entry of a document, in document order. */
export interface AppointmentEntry {
  /** 0-based position: Bundle entry, array item or CSV data row; 0 for a lone resource. */
  index: number;
  /** Path of the entry's resource (`Bundle.entry[2].resource`, `Appointment`, `appointments[3]`, `line 4`). */
  path: string;
  /** `appointment` read; `invalid` (see the issues with this entry); `ignored` (not an Appointment). */
  outcome: 'appointment' | 'invalid' | 'ignored';
  appointment?: Appointment;
  fields?: AppointmentFieldPaths;
  /** For an ignored entry, what it held (`Patient`, `OperationOutcome`, or `request` for one without a resource). */
  ignoredType?: string;
}

/** How the document was wrapped: the FHIR container (a Bundle's `type`), or the plain forms. */
export type AppointmentContainer =
  'Appointment' | 'transaction' | 'batch' | 'collection' | 'searchset' | 'array' | 'plain' | 'csv';

/** Everything read from one document: its entries and every issue found, errors and warnings alike. */
export interface AppointmentRead {
  format: 'fhir' | 'json' | 'csv';
  container: AppointmentContainer;
  entries: AppointmentEntry[];
  issues: AppointmentIssue[];
}

/** Options of {@link readAppointments}. */
export interface ReadAppointmentsOptions {
  /**
   * FHIR `Location` references (`Location/1`) and the entrance each stands for. A `Location` participant not
   * listed here is ignored with a warning. Default: none.
   */
  locationEntrances?: Readonly<Record<string, string>>;
  /** Offset from UTC (minutes) that date-only values (`requestedPeriod` `2026-03-02`) are read in. Default 0. */
  utcOffsetMin?: number;
}

/** A bad field, thrown inside a reader and turned into an issue of its entry. */
export class FieldProblem extends Error {
  constructor(
    readonly path: string,
    readonly item: string,
    readonly problem: string,
    readonly type: AppointmentIssue['type'] = 'value',
  ) {
    super(`${path} (${item}): ${problem}`);
    this.name = 'FieldProblem';
  }
}
