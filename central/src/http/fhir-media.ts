import { CitybayError } from '@citybay/common';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PlanIssue } from '../core/appointment-checks.js';
import { FHIR_JSON, issueTypeOfStatus, operationOutcome } from '../core/fhir-resources.js';
import { errors } from '../errors.js';
import { toErrorReply } from './error-reply.js';

/** The bad entries of an appointment request, all of them: answered as one OperationOutcome (or JSON list). */
export class AppointmentRequestError extends CitybayError {
  constructor(readonly issues: readonly PlanIssue[]) {
    const first = issues[0]!;
    const isInvalid = issues.some((i) => i.code === undefined || i.code === 'CB_APPOINTMENT_INVALID');
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more; see issues)` : '';
    super(isInvalid ? 'CB_APPOINTMENT_INVALID' : (first.code ?? 'CB_APPOINTMENT_INVALID'), `${first.message}${more}`, {
      statusCode: isInvalid ? 400 : 422,
      path: first.path,
    });
  }
}

function mediaType(header: string | undefined): { type: string; params: Map<string, string> } {
  const [type = '', ...params] = (header ?? '').split(';');
  return {
    type: type.trim().toLowerCase(),
    params: new Map(
      params.map((p) => {
        const [key = '', value = ''] = p.split('=');
        return [key.trim().toLowerCase(), value.trim().replace(/^"|"$/g, '')];
      }),
    ),
  };
}

/** The body was sent as FHIR JSON. */
export function isFhirBody(request: FastifyRequest): boolean {
  return mediaType(request.headers['content-type']).type === FHIR_JSON;
}

/**
 * The client wants FHIR back: `Accept` names `application/fhir+json`, or (no `Accept`, or only wildcards) the
 * body was FHIR JSON.
 */
export function wantsFhir(request: FastifyRequest): boolean {
  const accept = (request.headers.accept ?? '').toLowerCase();
  if (accept.includes(FHIR_JSON)) return true;
  const ranges = accept
    .split(',')
    .map((r) => r.split(';')[0]!.trim())
    .filter((r) => r !== '');
  return ranges.every((r) => r === '*/*' || r === 'application/*') && isFhirBody(request);
}

/** `Prefer: return=OperationOutcome` (FHIR's way to ask for the outcome instead of the resource). */
export function prefersOutcome(request: FastifyRequest): boolean {
  return /\breturn=operationoutcome\b/i.test(String(request.headers.prefer ?? ''));
}

/** Parses `application/fhir+json` bodies (any `fhirVersion` 4.0.x; other versions get 415) in this scope only. */
export function acceptFhirJson(scope: FastifyInstance): void {
  const parseJson = scope.getDefaultJsonParser('error', 'error');
  scope.addContentTypeParser(FHIR_JSON, { parseAs: 'string' }, (request, body, done) => {
    const version = mediaType(request.headers['content-type']).params.get('fhirversion');
    if (version !== undefined && !/^4\.0(\.\d+)?$/.test(version)) {
      done(
        errors.CB_HTTP_UNSUPPORTED_MEDIA_TYPE(`content-type: fhirVersion ${version} is not supported (only 4.0, R4)`, {
          path: 'headers.content-type',
        }),
      );
      return;
    }
    // Fastify's default JSON parser calls `done` synchronously; its type also admits an async parser, which it is not.
    void parseJson(request, body as string, done);
  });
}

/** Route error handler: an OperationOutcome for a client that wants FHIR, the JSON error shape otherwise. */
export function appointmentErrorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const body = toErrorReply(err);
  const issues: readonly PlanIssue[] =
    err instanceof AppointmentRequestError
      ? err.issues
      : [
          {
            severity: 'error',
            type: issueTypeOfStatus(body.statusCode),
            code: body.code,
            path: body.path ?? '',
            message: body.message,
          },
        ];
  if (body.statusCode >= 500) request.log.error({ err }, 'request failed');
  else request.log.info({ code: body.code, path: body.path }, body.message);
  if (wantsFhir(request)) return reply.status(body.statusCode).type(FHIR_JSON).send(operationOutcome(issues));
  const list =
    err instanceof AppointmentRequestError
      ? {
          issues: issues.map(({ severity, type, path, message, code }) => ({
            severity,
            type,
            path,
            message,
            ...(code ? { code } : {}),
          })),
        }
      : {};
  return reply
    .status(body.statusCode)
    .type('application/json')
    .send({ ...body, ...list });
}
