import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { fhirAnswer, jsonAnswer } from '../core/appointment-answers.js';
import { answerOf, dayStartOfDate } from '../core/appointment-day.js';
import { capabilityStatement } from '../core/fhir-capability.js';
import { FHIR_JSON } from '../core/fhir-resources.js';
import type { SiteDefinition } from '../core/site-definition.js';
import { errors } from '../errors.js';
import type { CentralContext } from './context.js';
import { keyAccess } from './auth.js';
import { CENTRAL_VERSION } from './app.js';
import { submitAppointments } from './appointment-submission.js';
import { acceptFhirJson, appointmentErrorHandler, isFhirBody, prefersOutcome, wantsFhir } from './fhir-media.js';
import { driverLinksFor, withDriverLinks } from './driver-routes.js';
import {
  AppointmentDaySchema,
  AppointmentsAnswerSchema,
  AppointmentsDocumentSchema,
  CapabilityStatementSchema,
  FhirAnswerSchema,
  fhirErrorReply,
  ReoptimiseResultSchema,
} from './appointment-schemas.js';
import { documentedBody, errorReply, json } from './response-schemas.js';
import { routeSchema } from './route-schema.js';

const SiteQuery = Type.Object({ siteId: Type.Optional(Type.String({ maxLength: 64 })) });
const DayQuery = Type.Object({ date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }) });

/** Local midnight of `?date=` at the site, or a 400 naming it (the pattern lets `2026-02-30` through). */
function dayStartOfQuery(site: SiteDefinition, date: string): number {
  const dayStartMs = dayStartOfDate(date, site.utcOffsetMin ?? 0);
  if (dayStartMs === undefined) {
    throw errors.CB_HTTP_BAD_REQUEST(`querystring.date: "${date}" is not a calendar date (YYYY-MM-DD)`, {
      path: 'querystring.date',
    });
  }
  return dayStartMs;
}

/**
 * Hospital API: appointments in (FHIR R4 `Appointment`, a `Bundle` of them, or the plain JSON form), each
 * one's lot, zone, bay kind, arrival window and route out; `GET /metadata`, the FHIR CapabilityStatement.
 * Changes re-optimise through the allocator's online events on a worker thread; placed cars become
 * reservation directives for the site's edges.
 */
export function registerAppointmentRoutes(app: FastifyInstance, ctx: CentralContext): void {
  // Its own scope, so application/fhir+json is parsed on these routes only.
  void app.register(async (scope) => {
    acceptFhirJson(scope);
    // FHIR clients get OperationOutcome for every error of this scope, the content-type parser's included.
    scope.setErrorHandler(appointmentErrorHandler);
    registerSubmissionRoutes(scope, ctx);
  });
  registerDayRoutes(app, ctx);
}

function registerSubmissionRoutes(app: FastifyInstance, ctx: CentralContext): void {
  app.post<{ Querystring: Static<typeof SiteQuery> }>(
    '/v1/appointments',
    {
      // A hospital key, for the ?siteId= (or its one site): checked before the body is read.
      config: {
        access: keyAccess(['hospital'], 'query'),
        documentError: fhirErrorReply,
        swaggerTransform: documentedBody(AppointmentsDocumentSchema, [FHIR_JSON, 'application/json']),
      },
      schema: routeSchema({
        tags: ['hospital'],
        operationId: 'postAppointments',
        summary:
          'Appointments (FHIR R4 Appointment or Bundle as application/fhir+json, or plain JSON) in; assigned lot, zone, bay kind, arrival window and route out',
        querystring: SiteQuery,
        response: {
          200: {
            description:
              'Planned: the plain JSON answer, or (FHIR client) the answered Appointment or the response Bundle, or with `Prefer: return=OperationOutcome` the outcome',
            content: {
              'application/json': { schema: AppointmentsAnswerSchema },
              [FHIR_JSON]: { schema: FhirAnswerSchema },
            },
          },
          201: {
            description: 'A single FHIR Appointment, new to citybay: the answered Appointment',
            content: { [FHIR_JSON]: { schema: FhirAnswerSchema } },
          },
          400: fhirErrorReply(400, 'CB_APPOINTMENT_INVALID or CB_HTTP_BAD_REQUEST: bad entries (all in `issues`)'),
          404: fhirErrorReply(404, 'CB_SITE_UNKNOWN: no such site'),
          409: fhirErrorReply(409, 'CB_APPOINTMENTS_CONFLICT: the day changed concurrently; send it again'),
          415: fhirErrorReply(415, 'CB_HTTP_UNSUPPORTED_MEDIA_TYPE: not JSON or FHIR JSON R4 (fhirVersion 4.0)'),
          422: fhirErrorReply(422, 'CB_APPOINTMENTS_PAST, _TOO_FAR or _UNPLANNABLE: entries refused (all in `issues`)'),
          503: fhirErrorReply(503, 'CB_APPOINTMENTS_UNAVAILABLE (the allocator failed) or CB_HTTP_SHUTTING_DOWN'),
        },
      }),
    },
    async (request, reply) => {
      const holder = request.apiKeyHolder!;
      const siteId = request.authorizedSiteId!;
      const site = await ctx.requireSite(siteId);
      if (request.body === undefined || request.body === null) {
        throw errors.CB_HTTP_BAD_REQUEST('body: expected appointments as JSON', { path: 'body' });
      }
      const view = await withDriverLinks(
        ctx,
        request,
        site,
        await submitAppointments(ctx, site, request.body, isFhirBody(request)),
      );
      request.log.info(
        { hospital: holder.id, siteId, appointments: view.answers.size, issues: view.issues.length },
        'appointments planned',
      );
      if (!wantsFhir(request)) return reply.send(jsonAnswer(view));
      const { statusCode, body } = fhirAnswer(view, prefersOutcome(request));
      return reply.status(statusCode).type(FHIR_JSON).send(body);
    },
  );

  app.get(
    '/metadata',
    {
      config: { documentError: fhirErrorReply },
      schema: routeSchema({
        tags: ['hospital'],
        operationId: 'getFhirCapabilityStatement',
        summary: 'The FHIR R4 CapabilityStatement of the appointment API',
        response: {
          200: {
            description: 'What the FHIR side of central does',
            content: { [FHIR_JSON]: { schema: CapabilityStatementSchema } },
          },
        },
      }),
    },
    async (_request, reply) => reply.type(FHIR_JSON).send(capabilityStatement(CENTRAL_VERSION, ctx.clock.nowMs())),
  );
}

function registerDayRoutes(app: FastifyInstance, ctx: CentralContext): void {
  app.get<{ Params: { siteId: string }; Querystring: Static<typeof DayQuery> }>(
    '/v1/sites/:siteId/appointments',
    {
      // Hospital systems and operators, each only on the sites their key is limited to.
      config: { access: keyAccess(['hospital', 'operator'], 'params') },
      schema: routeSchema({
        tags: ['hospital'],
        operationId: 'getAppointmentDay',
        summary: 'The appointments of one day (?date=YYYY-MM-DD, site local) and their assignments',
        querystring: DayQuery,
        response: {
          200: json(
            'The day: its version and each appointment with its assignment and driver link',
            AppointmentDaySchema,
          ),
          404: errorReply(404, 'CB_SITE_UNKNOWN: no such site'),
        },
      }),
    },
    async (request) => {
      const { siteId } = request.params;
      const site = await ctx.requireSite(siteId);
      const dayStartMs = dayStartOfQuery(site, request.query.date);
      const day = await ctx.store.getAppointmentDay(siteId, dayStartMs);
      const ids = (day?.appointments ?? []).map((a) => a.id);
      const links = await driverLinksFor(ctx, request, siteId, dayStartMs, ids);
      return {
        siteId,
        date: request.query.date,
        version: day?.version ?? 0,
        appointments: (day?.appointments ?? []).map((a) => {
          const answer = answerOf(
            a,
            day?.assignments.find((x) => x.appointmentId === a.id),
          );
          const driverLink = links.get(a.id);
          return driverLink === undefined ? answer : { ...answer, driverLink };
        }),
      };
    },
  );

  app.post<{ Params: { siteId: string }; Querystring: Static<typeof DayQuery> }>(
    '/v1/sites/:siteId/appointments/reoptimise',
    {
      config: { access: keyAccess(['operator'], 'params') },
      // It takes no body.
      bodyLimit: 1024,
      schema: routeSchema({
        tags: ['operator'],
        summary:
          'Re-optimise one day (?date=YYYY-MM-DD, site local) of a site: every car not yet under way; answers the version, objective before and after, and how many assignments changed',
        operationId: 'reoptimiseAppointmentDay',
        querystring: DayQuery,
        response: {
          200: json('The re-optimised day', ReoptimiseResultSchema),
          404: errorReply(404, 'CB_SITE_UNKNOWN, or CB_HTTP_NOT_FOUND: no appointments stored for that date'),
          409: errorReply(409, 'CB_APPOINTMENTS_CONFLICT: the day changed concurrently; send it again'),
          503: errorReply(503, 'CB_APPOINTMENTS_UNAVAILABLE (the allocator failed) or CB_HTTP_SHUTTING_DOWN'),
        },
      }),
    },
    async (request) => {
      const { siteId } = request.params;
      const holder = request.apiKeyHolder!;
      const site = await ctx.requireSite(siteId);
      const { date } = request.query;
      const result = await ctx.planner.reoptimiseDay(site, dayStartOfQuery(site, date));
      if (!result) {
        throw errors.CB_HTTP_NOT_FOUND(`querystring.date: site "${siteId}" has no appointments stored for ${date}`, {
          path: 'querystring.date',
        });
      }
      request.log.info({ operator: holder.id, siteId, date, ...result }, 'appointment day re-optimised');
      return {
        siteId,
        date,
        version: result.version,
        objectiveBeforeS: result.objectiveBeforeS,
        objectiveAfterS: result.objectiveAfterS,
        changedAssignments: result.changedAssignments,
        isReplanned: result.isReplanned,
      };
    },
  );
}
