import { type Static, Type } from '@sinclair/typebox';
import type { AppointmentAnswer } from '../core/appointment-day.js';
import { FHIR_JSON } from '../core/fhir-resources.js';
import { describeStatus, ErrorReplySchema } from './response-schemas.js';

// Response schemas of the hospital API: the plain JSON answers and the FHIR R4 resources. FHIR resources carry
// whatever the client sent along (an answered Appointment is the one sent, with its assignment added), so their
// schemas name what citybay writes and let every other element through (`additionalProperties`); the answers are
// also validated against the FHIR R4 JSON schema in test/http/fhir-appointments.test.ts.

const open = { additionalProperties: true } as const;

const Issue = Type.Object(
  {
    severity: Type.Union((['fatal', 'error', 'warning', 'information'] as const).map((s) => Type.Literal(s))),
    type: Type.String({ description: 'FHIR IssueType (invalid, business-rule, informational, …)' }),
    path: Type.String({ description: 'FHIRPath (or JSON path) of the element in the request' }),
    message: Type.String(),
    code: Type.Optional(Type.String({ description: 'citybay error code (docs/errors.md)' })),
  },
  { title: 'AppointmentIssue' },
);

/** The JSON error body of the hospital API: the envelope, with every bad entry in `issues` when there are several. */
export const AppointmentErrorSchema = Type.Object(
  { ...ErrorReplySchema.properties, issues: Type.Optional(Type.Array(Issue)) },
  { additionalProperties: false, title: 'AppointmentError' },
);

export const OperationOutcomeSchema = Type.Object(
  {
    resourceType: Type.Literal('OperationOutcome'),
    issue: Type.Array(
      Type.Object(
        {
          severity: Type.String(),
          code: Type.String(),
          details: Type.Optional(
            Type.Object(
              {
                coding: Type.Optional(Type.Array(Type.Object({ system: Type.String(), code: Type.String() }, open))),
                text: Type.Optional(Type.String()),
              },
              open,
            ),
          ),
          diagnostics: Type.Optional(Type.String()),
          expression: Type.Optional(Type.Array(Type.String())),
        },
        open,
      ),
      { minItems: 1 },
    ),
  },
  {
    ...open,
    title: 'OperationOutcome',
    description: 'FHIR R4 OperationOutcome; `details.coding` carries the citybay error code',
  },
);

/** An Appointment as sent, with `id` and the parking-assignment extension added. */
const AppointmentResourceSchema = Type.Object(
  { resourceType: Type.Literal('Appointment'), id: Type.Optional(Type.String()) },
  { ...open, title: 'FhirAppointment', description: 'FHIR R4 Appointment with the parking-assignment extension' },
);

const BundleSchema = Type.Object(
  {
    resourceType: Type.Literal('Bundle'),
    type: Type.Union((['transaction-response', 'batch-response', 'collection'] as const).map((t) => Type.Literal(t))),
    entry: Type.Array(
      Type.Object(
        {
          response: Type.Optional(
            Type.Object({ status: Type.String(), outcome: Type.Optional(OperationOutcomeSchema) }, open),
          ),
          resource: Type.Optional(Type.Union([AppointmentResourceSchema, OperationOutcomeSchema])),
        },
        open,
      ),
    ),
  },
  {
    ...open,
    title: 'FhirBundle',
    description: 'FHIR R4 Bundle: the answer to a transaction, batch, collection or searchset',
  },
);

/** What a FHIR client gets for its appointments. */
export const FhirAnswerSchema = Type.Union([AppointmentResourceSchema, BundleSchema, OperationOutcomeSchema], {
  title: 'FhirAnswer',
});

export const CapabilityStatementSchema = Type.Object(
  {
    resourceType: Type.Literal('CapabilityStatement'),
    status: Type.String(),
    date: Type.String(),
    kind: Type.String(),
    fhirVersion: Type.String(),
    format: Type.Array(Type.String()),
  },
  { ...open, title: 'CapabilityStatement', description: 'FHIR R4 CapabilityStatement' },
);

/** What `POST /v1/appointments` reads (checked entry by entry; every bad field is answered with its path). */
export const AppointmentsDocumentSchema = Type.Union(
  [
    Type.Object({ resourceType: Type.Literal('Appointment') }, open),
    Type.Object(
      {
        resourceType: Type.Literal('Bundle'),
        type: Type.Union((['transaction', 'batch', 'collection', 'searchset'] as const).map((t) => Type.Literal(t))),
        entry: Type.Optional(Type.Array(Type.Object({ resource: Type.Optional(Type.Object({}, open)) }, open))),
      },
      open,
    ),
    Type.Object({}, { ...open, description: "citybay's plain JSON form (see sim's appointment files)" }),
    Type.Array(Type.Object({}, open)),
  ],
  {
    description:
      'A FHIR R4 Appointment or Bundle (application/fhir+json; entries other than Appointments are ignored), or the plain JSON form',
  },
);

const ArrivalWindow = Type.Object({
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  fromMs: Type.Number(),
  toMs: Type.Number(),
});
const DriverLink = Type.Object({ url: Type.String(), qrUrl: Type.String() });

export const AppointmentAnswerSchema = Type.Object(
  {
    appointmentId: Type.String(),
    status: Type.String(),
    outcome: Type.String({ description: 'bay, park-and-ride, drop-off, wait-list or released' }),
    placed: Type.Boolean({ description: 'a bay is held (a bay or a park-and-ride lot)' }),
    lotId: Type.Optional(Type.String()),
    lotName: Type.Optional(Type.String()),
    zoneId: Type.Optional(Type.String()),
    kind: Type.Optional(Type.String()),
    arrivalWindow: Type.Optional(ArrivalWindow),
    holdUntilMs: Type.Optional(Type.Number()),
    arrivalShiftMin: Type.Optional(Type.Number()),
    suggestedStart: Type.Optional(Type.String()),
    shuttle: Type.Optional(Type.Object({ rideS: Type.Number(), headwayS: Type.Number() })),
    routeText: Type.String(),
    driverLink: Type.Optional(DriverLink),
  },
  { title: 'AppointmentAnswer' },
);

/** The plain JSON answer to a submission. */
export const AppointmentsAnswerSchema = Type.Object(
  {
    siteId: Type.String(),
    appointments: Type.Array(AppointmentAnswerSchema),
    issues: Type.Optional(Type.Array(Issue)),
  },
  { title: 'AppointmentsAnswer' },
);

export const AppointmentDaySchema = Type.Object(
  {
    siteId: Type.String(),
    date: Type.String({ format: 'date' }),
    version: Type.Integer({ minimum: 0 }),
    appointments: Type.Array(AppointmentAnswerSchema),
  },
  { title: 'AppointmentDay' },
);

export const ReoptimiseResultSchema = Type.Object(
  {
    siteId: Type.String(),
    date: Type.String({ format: 'date' }),
    version: Type.Integer({ minimum: 0 }),
    objectiveBeforeS: Type.Number(),
    objectiveAfterS: Type.Number(),
    changedAssignments: Type.Integer({ minimum: 0 }),
    isReplanned: Type.Boolean(),
  },
  { title: 'ReoptimiseResult' },
);

/** An error of the FHIR scope: the JSON envelope, or an OperationOutcome to a client that wants FHIR. */
export function fhirErrorReply(status: number, description = describeStatus(status)) {
  return {
    description: `${description}; an OperationOutcome to a client that wants FHIR`,
    content: {
      'application/json': { schema: AppointmentErrorSchema },
      [FHIR_JSON]: { schema: OperationOutcomeSchema },
    },
  };
}

const answerMatches: [A: Static<typeof AppointmentAnswerSchema>] extends [AppointmentAnswer]
  ? [AppointmentAnswer] extends [Static<typeof AppointmentAnswerSchema>]
    ? true
    : false
  : false = true;
void answerMatches;
