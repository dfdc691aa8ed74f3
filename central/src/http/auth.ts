import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler, RouteOptions } from 'fastify';
import { errors } from '../errors.js';
import type { ApiKeyHolder, ApiRole } from '../io/api-keys.js';
import { matchesAnyHash, parseBasicAuth } from '../io/credentials.js';
import type { EdgeRecord } from '../store/store.js';
import type { CentralContext } from './context.js';
import { withStandardErrors } from './response-schemas.js';

/**
 * Who may call a route, declared once in its `config.access`:
 * - `public`: anyone;
 * - `edge`: an edge signed in with HTTP Basic (its id and secret);
 * - `key`: an API key of one of `roles`. With `site`, the key must also be allowed on the site the request acts on:
 *   `params` is the `:siteId` of the URL, `query` the `?siteId=` (or, when absent, the one site the key is limited
 *   to). A key limited to other sites gets 403.
 */
export type RouteAccess =
  { kind: 'public' } | { kind: 'edge' } | { kind: 'key'; roles: readonly ApiRole[]; site?: 'params' | 'query' };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyInstance {
    /** Every route registered after `installAuth`, with its access. */
    routeAccess: readonly RegisteredRoute[];
  }
  interface FastifyRequest {
    /** The edge signed in on `edge` routes. */
    edge?: EdgeRecord;
    /** The API key holder on `key` routes (the entry of the role that let the request in). */
    apiKeyHolder?: ApiKeyHolder;
    /** The site a `key` route with `site` acts on, checked against the key's sites. */
    authorizedSiteId?: string;
  }
}

export const PUBLIC: RouteAccess = { kind: 'public' };
export const EDGE: RouteAccess = { kind: 'edge' };
/** Access by API key of `roles`, limited to the key's sites when `site` says where the site is named. */
export const keyAccess = (roles: readonly ApiRole[], site?: 'params' | 'query'): RouteAccess => ({
  kind: 'key',
  roles,
  ...(site ? { site } : {}),
});

/** One OpenAPI security scheme per role (and one for edges), named `<role>Key`. */
export const SECURITY_SCHEMES = {
  edgeBasic: { type: 'http', scheme: 'basic', description: 'edge id and its cbk_ secret' },
  hospitalKey: { type: 'http', scheme: 'bearer', description: 'API key of role hospital (appointments)' },
  operatorKey: { type: 'http', scheme: 'bearer', description: 'API key of role operator (directives, dashboard)' },
  engineerKey: { type: 'http', scheme: 'bearer', description: 'API key of role engineer (scenarios, what-if)' },
} as const;

/** The API key of a request: `Authorization: Bearer <key>` or `X-API-Key: <key>`. */
export function apiKeyOf(request: FastifyRequest): string | undefined {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header !== '') return header;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

/**
 * What the rate limit counts a request against: the verified edge or API key when the route's hook verified one,
 * else the client address. Never an unverified name (a made-up Basic user would get a fresh budget each time).
 */
export function rateLimitKeyOf(request: FastifyRequest): string {
  if (request.edge) return `edge:${request.edge.edgeId}`;
  if (request.apiKeyHolder) return `key:${request.apiKeyHolder.id}`;
  return `ip:${request.ip}`;
}

/** The route's declared access; a route that declares none is public (the matrix test lists every route). */
export function accessOf(request: FastifyRequest): RouteAccess {
  return request.routeOptions.config.access ?? PUBLIC;
}

/**
 * The edge of the request's Basic credentials, or undefined. A record cached before a secret was rotated is
 * read again once before refusing.
 */
export async function verifyEdge(ctx: CentralContext, request: FastifyRequest): Promise<EdgeRecord | undefined> {
  const credentials = parseBasicAuth(request.headers.authorization);
  if (!credentials) return undefined;
  const { user: edgeId, password: secret } = credentials;
  const load = () => ctx.store.getEdge(edgeId);
  let edge = await ctx.edges.get(edgeId, load);
  if (edge && !matchesAnyHash(secret, edge.secretHashes) && ctx.edges.ageMs(edgeId) > 0) {
    edge = await ctx.edges.get(edgeId, load, 0);
  }
  return edge && matchesAnyHash(secret, edge.secretHashes) ? edge : undefined;
}

/** The site a `key` route acts on, or a 400 when a route that takes it from the query has none. */
function siteOfRequest(request: FastifyRequest, site: 'params' | 'query', holder: ApiKeyHolder): string | undefined {
  if (site === 'params') return (request.params as { siteId?: string }).siteId;
  const fromQuery = (request.query as { siteId?: unknown } | undefined)?.siteId;
  if (typeof fromQuery === 'string' && fromQuery !== '') return fromQuery;
  if (holder.sites?.length === 1) return holder.sites[0];
  throw errors.CB_HTTP_BAD_REQUEST('querystring.siteId: which site is this request for?', {
    path: 'querystring.siteId',
  });
}

/**
 * The hook of a `key` route: a key of one of `roles` (401 otherwise), allowed on the site the request names
 * (403 otherwise). Runs at `onRequest`, before the body is read, parsed or validated.
 */
export function requireRoles(
  ctx: CentralContext,
  access: Extract<RouteAccess, { kind: 'key' }>,
): onRequestAsyncHookHandler {
  return async (request, reply) => {
    const key = apiKeyOf(request);
    const isOverBudget = key !== undefined && ctx.failedLogins.isOver(request.ip);
    const valid = key === undefined ? [] : ctx.keyring.holdersOf(key);
    if (key !== undefined && valid.length === 0) {
      if (isOverBudget) refuseOverBudget(ctx, request, reply);
      ctx.failedLogins.recordFailure(request.ip);
    }
    const holders = valid.filter((h) => access.roles.includes(h.role));
    if (holders.length === 0) {
      throw errors.CB_HTTP_UNAUTHORIZED(
        `this API needs a valid ${access.roles.join(' or ')} API key (Authorization: Bearer …)`,
      );
    }
    if (access.site === undefined) {
      request.apiKeyHolder = holders[0];
      return;
    }
    const siteId = siteOfRequest(request, access.site, holders[0]!);
    const holder = holders.find((h) => siteId === undefined || !h.sites || h.sites.includes(siteId));
    if (!holder) {
      throw errors.CB_HTTP_FORBIDDEN(`API key "${holders[0]!.id}" may not act on site "${siteId}"`, {
        path: access.site === 'params' ? 'siteId' : 'querystring.siteId',
      });
    }
    request.apiKeyHolder = holder;
    if (siteId !== undefined) request.authorizedSiteId = siteId;
  };
}

/** 429 for an address over its failed-login budget, with the seconds until it may try again. */
function refuseOverBudget(ctx: CentralContext, request: FastifyRequest, reply: FastifyReply): never {
  const retryAfterS = ctx.failedLogins.retryAfterS(request.ip);
  void reply.header('retry-after', String(retryAfterS));
  throw errors.CB_HTTP_RATE_LIMITED(
    `too many failed logins from ${request.ip} (at most ${ctx.config.failedLoginsPerMin} a minute); retry in ${retryAfterS} s`,
  );
}

/**
 * The hook of an `edge` route: a known edge with a matching secret, else 401. From an address over its
 * failed-login budget only an edge whose record is already held (of any age) and matches gets in; anything else
 * gets 429 without a store lookup.
 */
export function requireEdge(ctx: CentralContext): onRequestAsyncHookHandler {
  return async (request, reply) => {
    const credentials = parseBasicAuth(request.headers.authorization);
    if (!credentials) throw errors.CB_SYNC_UNAUTHORIZED('HTTP Basic credentials (edge id and secret) are required');
    if (ctx.failedLogins.isOver(request.ip)) {
      const held = ctx.edges.peek(credentials.user);
      if (held && matchesAnyHash(credentials.password, held.secretHashes)) {
        request.edge = held;
        return;
      }
      refuseOverBudget(ctx, request, reply);
    }
    const edge = await verifyEdge(ctx, request);
    if (!edge) {
      ctx.failedLogins.recordFailure(request.ip);
      throw errors.CB_SYNC_UNAUTHORIZED('unknown edge or bad secret');
    }
    request.edge = edge;
  };
}

/** The OpenAPI `security` of an access: one scheme per role that may call it. */
export function securityOf(access: RouteAccess): Array<Record<string, string[]>> | undefined {
  if (access.kind === 'public') return undefined;
  if (access.kind === 'edge') return [{ edgeBasic: [] }];
  return access.roles.map((role) => ({ [`${role}Key`]: [] }));
}

/** One registered route and who may call it (what the authorization matrix test walks). */
export interface RegisteredRoute {
  method: string;
  url: string;
  access: RouteAccess;
}

/**
 * Installs authentication and authorization: every route registered after this gets the hook of its declared
 * access, ahead of its own `onRequest` hooks, its OpenAPI `security` and the error responses that follow from its
 * declaration (`response-schemas.ts`). Returns the list of registered routes.
 */
export function installAuth(app: FastifyInstance, ctx: CentralContext): RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  const edgeHook = requireEdge(ctx);
  app.addHook('onRoute', (route: RouteOptions) => {
    const access = route.config?.access ?? PUBLIC;
    for (const method of [route.method].flat()) routes.push({ method, url: route.url, access });
    if (access.kind !== 'public') {
      const hook = access.kind === 'edge' ? edgeHook : requireRoles(ctx, access);
      route.onRequest = [hook, ...[route.onRequest ?? []].flat()];
      if (route.schema) (route.schema as { security?: unknown }).security = securityOf(access);
    }
    // The 401/403 of the hook above, validation, rate-limit and server errors: documented and serialised.
    withStandardErrors(route);
  });
  return routes;
}
