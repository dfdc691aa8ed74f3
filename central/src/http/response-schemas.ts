import { type TSchema, Type } from '@sinclair/typebox';
import type { SwaggerTransform } from '@fastify/swagger';
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
  { additionalProperties: false, title: 'ErrorReply' },
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

/** A copy of `schema` published under `title` (see `withNamedComponents`). */
export function titled<T extends TSchema>(schema: T, title: string): T {
  return { ...schema, title };
}

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

/**
 * Documents the body of a route that reads or validates it in its handler rather than through fastify (messages
 * naming the field as its clients expect; protobuf; FHIR or plain JSON): the route's `config.swaggerTransform`.
 */
export function documentedBody(
  schema: TSchema,
  mediaTypes: readonly string[] = ['application/json'],
): SwaggerTransform {
  return ({ schema: routeSchema, url }) => ({
    schema: { ...routeSchema, body: schema, consumes: [...mediaTypes] },
    url,
  });
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
 * Publishes each schema with a `title` once, under `components.schemas.<title>`, and refers to it from every
 * place it is used (the routes' schemas stay whole for fastify). Generated clients get one named type per title.
 * A schema whose content differs from the first of its title stays where it is.
 */
export function withNamedComponents<T extends object>(doc: T): T {
  const named: Record<string, unknown> = {};
  const texts = new Map<string, string>();
  const hoist = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(hoist);
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) out[key] = hoist(value);
    const title = out.title;
    if (typeof title !== 'string' || !/^[A-Z][A-Za-z0-9]*$/.test(title)) return out;
    const text = JSON.stringify(out);
    if (!texts.has(title)) {
      texts.set(title, text);
      named[title] = out;
    }
    return texts.get(title) === text ? { $ref: `#/components/schemas/${title}` } : out;
  };
  const { paths, components = {} } = doc as { paths?: unknown; components?: Record<string, unknown> };
  const hoisted = hoist(paths);
  const schemas = { ...((components.schemas as Record<string, unknown> | undefined) ?? {}), ...named };
  return { ...doc, paths: hoisted, components: { ...components, schemas } } as T;
}

/** `schema` with every property that has a default left out of `required` (a client may omit it). */
function withOptionalDefaults(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withOptionalDefaults);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) out[key] = withOptionalDefaults(value);
  const properties = out.properties as Record<string, { default?: unknown }> | undefined;
  if (properties && Array.isArray(out.required)) {
    out.required = out.required.filter((name: string) => properties[name]?.default === undefined);
  }
  return out;
}

/**
 * What a request may omit: fastify fills in a query or body field's `default` before the handler sees it (ajv's
 * `useDefaults`), so the published parameters and request bodies list such fields as optional.
 */
export function withRequestDefaultsOptional<T extends object>(doc: T): T {
  type Parameter = { in?: string; required?: boolean; schema?: { default?: unknown } };
  type Operation = { requestBody?: unknown; parameters?: Parameter[] };
  const { paths = {} } = doc as { paths?: Record<string, Record<string, Operation>> };
  const out: Record<string, Record<string, Operation>> = {};
  for (const [path, operations] of Object.entries(paths)) {
    out[path] = {};
    for (const [method, operation] of Object.entries(operations)) {
      const parameters = operation.parameters?.map((p) =>
        p.in !== 'path' && p.schema?.default !== undefined ? { ...p, required: false } : p,
      );
      out[path][method] = {
        ...operation,
        ...(parameters === undefined ? {} : { parameters }),
        ...(operation.requestBody === undefined ? {} : { requestBody: withOptionalDefaults(operation.requestBody) }),
      };
    }
  }
  return { ...doc, paths: out } as T;
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
