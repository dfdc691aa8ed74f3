import { type TSchema, Type } from '@sinclair/typebox';
import type { RouteOptions } from 'fastify';

// The building blocks of every route's `schema.response`: the error envelope, the errors every route can answer
// with, and media types. Fastify serialises each JSON answer with the schema of its status and content type, and
// @fastify/swagger publishes the same schema at /docs/json: the document cannot say one thing while the wire says
// another (test/openapi.test.ts checks real answers of every route against the document).

/** The JSON error body every route answers with (`error-reply.ts`); codes are listed in docs/errors.md. */
export const ErrorReplySchema = Type.Object(
  {
    statusCode: Type.Integer({ minimum: 400, maximum: 599 }),
    code: Type.String({ pattern: '^CB_[A-Z0-9_]+$', description: 'stable error code (docs/errors.md)' }),
    message: Type.String(),
    path: Type.Optional(Type.String({ description: 'the bad field, e.g. `querystring.date` or `body.lotId`' })),
  },
  { additionalProperties: false },
);

/** Why a status is answered, when a route does not say it more precisely. */
const STATUS_TEXT: Record<number, string> = {
  400: 'CB_HTTP_BAD_REQUEST: a malformed parameter, query or body (`path` names the field)',
  401: 'CB_HTTP_UNAUTHORIZED: no API key, or not one of a role this route takes',
  403: 'CB_HTTP_FORBIDDEN: the API key is limited to other sites',
  404: 'CB_HTTP_NOT_FOUND or CB_SITE_UNKNOWN: no such resource',
  409: 'a concurrent change; send the request again',
  413: 'CB_HTTP_TOO_LARGE: the body is larger than this route takes',
  415: 'CB_HTTP_UNSUPPORTED_MEDIA_TYPE: the body is not of a type this route takes',
  422: 'a request understood but refused by a business rule',
  429: 'CB_HTTP_RATE_LIMITED: too many requests (or failed logins) from this client; retry later',
  500: 'CB_HTTP_INTERNAL: an unexpected error, logged with the request id',
  503: 'CB_HTTP_SHUTTING_DOWN or CB_STORE_UNAVAILABLE: retry shortly (or on another instance)',
};

/** A response in one media type. */
export function media(description: string, type: string, schema: TSchema | Record<string, unknown>) {
  return { description, content: { [type]: { schema } } };
}

/** A JSON response. */
export function json(description: string, schema: TSchema) {
  return media(description, 'application/json', schema);
}

/** The usual meaning of an error status. */
export function describeStatus(status: number): string {
  return STATUS_TEXT[status] ?? 'an error';
}

/** A JSON error response (the envelope), with the status's usual meaning unless `description` says more. */
export function errorReply(status: number, description?: string) {
  return json(description ?? describeStatus(status), ErrorReplySchema);
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** How the route documents an error status, when not as the JSON envelope (the FHIR routes). */
    documentError?: (status: number) => unknown;
  }
}

/** Error responses for each status, each with its usual meaning. */
export function errorReplies(...statuses: number[]): Record<number, ReturnType<typeof errorReply>> {
  return Object.fromEntries(statuses.map((s) => [s, errorReply(s)]));
}

/** A response without a body (204, redirects). */
export function noBody(description: string) {
  return { description, type: 'null' };
}

/** Routes the global rate limit leaves out (probes and scrapers): they never answer 429. */
export const RATE_LIMIT_EXEMPT: ReadonlySet<string> = new Set(['/healthz', '/metrics']);

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * The error statuses a route answers with whatever it does, from how it is declared: 400 when it validates a
 * parameter, query or body; 400/413/415 when it takes a body (bad JSON, too large, wrong type); 401 (and 403 for
 * site-scoped keys) when it needs credentials; 429 unless exempt from the rate limit; 500 and 503 always.
 */
export function standardErrorStatuses(route: RouteOptions): number[] {
  const schema = (route.schema ?? {}) as Record<string, unknown>;
  const access = route.config?.access;
  const methods = [route.method].flat();
  const statuses = new Set<number>([500, 503]);
  if (schema.params || schema.querystring || schema.body) statuses.add(400);
  if (methods.some((m) => BODY_METHODS.has(m))) for (const s of [400, 413, 415]) statuses.add(s);
  if (access && access.kind !== 'public') statuses.add(401);
  if (access?.kind === 'key' && access.site !== undefined) statuses.add(403);
  if (access?.kind === 'key' && access.site === 'query') statuses.add(400);
  if (!RATE_LIMIT_EXEMPT.has(route.url)) statuses.add(429);
  return [...statuses].sort((a, b) => a - b);
}

/**
 * Adds the standard error responses to a documented route that does not declare them itself, as the route's
 * `config.documentError` documents errors (default: the JSON envelope). Hidden routes are left alone.
 */
export function withStandardErrors(route: RouteOptions): void {
  const schema = route.schema as { response?: Record<string, unknown>; hide?: boolean } | undefined;
  if (!schema || schema.hide) return;
  const response = { ...(schema.response ?? {}) };
  const document = route.config?.documentError ?? errorReply;
  for (const status of standardErrorStatuses(route)) response[status] ??= document(status);
  route.schema = { ...schema, response };
}

/**
 * The document in OpenAPI 3.1's JSON Schema (2020-12): TypeBox writes tuples (`[lon, lat]`) as draft-07
 * `items: [...]`, which fastify's serialiser reads; 2020-12 calls them `prefixItems`. Only the published copy is
 * rewritten.
 */
export function toJsonSchema2020<T>(node: T): T {
  if (Array.isArray(node)) return node.map((n: unknown) => toJsonSchema2020(n)) as T;
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = toJsonSchema2020(value);
  if (Array.isArray(out.items)) {
    out.prefixItems = out.items;
    out.items = out.additionalItems === false ? false : (out.additionalItems ?? true);
    delete out.additionalItems;
  }
  return out as T;
}
