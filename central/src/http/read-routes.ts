import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { type SiteStatus, siteStatus } from '../core/lot-status.js';
import type { SiteDefinition } from '../core/site-definition.js';
import { errors } from '../errors.js';
import type { CentralContext } from './context.js';
import {
  DirectivesLogSchema,
  DirectivesSchema,
  HistorySchema,
  LotSchema,
  LotsSchema,
  SiteListSchemas,
  SiteSchema,
  SitesSchema,
  ZonesSchema,
} from './read-schemas.js';
import { errorReply, json } from './response-schemas.js';
import { routeSchema } from './route-schema.js';
import { SiteDefinitionSchema } from '../core/site-definition.js';

const SiteParams = Type.Object({ siteId: Type.String({ maxLength: 64 }) });
const LotParams = Type.Object({ siteId: Type.String({ maxLength: 64 }), lotId: Type.String({ maxLength: 64 }) });
const HistoryQuery = Type.Object({
  lotId: Type.Optional(Type.String({ maxLength: 64 })),
  zoneId: Type.Optional(Type.String({ maxLength: 64 })),
  /** Start (ms since the epoch, inclusive). Default: 24 h ago. */
  fromMs: Type.Optional(Type.Integer({ minimum: 0 })),
  /** End (ms since the epoch, exclusive). Default: now. */
  toMs: Type.Optional(Type.Integer({ minimum: 0 })),
  limit: Type.Integer({ minimum: 1, maximum: 100_000, default: 10_000 }),
});
const LogQuery = Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 10_000, default: 100 }) });

/** The live status of one site: definition, zone states and directives put together. */
export async function loadSiteStatus(
  ctx: CentralContext,
  siteId: string,
): Promise<{ definition: SiteDefinition; status: SiteStatus }> {
  const definition = await ctx.requireSite(siteId);
  const [states, directives] = await Promise.all([ctx.store.listZoneStates(siteId), ctx.store.getDirectives(siteId)]);
  const status = siteStatus(definition, states, directives, ctx.clock.nowMs(), {
    staleAfterMs: ctx.config.staleAfterMs,
    almostFullPct: ctx.config.almostFullPct,
  });
  return { definition, status };
}

/** Read-only JSON API over sites, lots, zones, history, devices, signs, gates, edges and directives. */
export function registerReadRoutes(app: FastifyInstance, ctx: CentralContext): void {
  const tags = ['read'];
  const noSite = { 404: errorReply(404, 'CB_SITE_UNKNOWN: no such site') };
  app.get(
    '/v1/sites',
    {
      schema: routeSchema({
        tags,
        operationId: 'listSites',
        summary: 'Every site with its totals',
        response: { 200: json('Every site with its totals, location and lot ids', SitesSchema) },
      }),
    },
    async () => {
      const sites = await ctx.store.listSites();
      const out = [];
      for (const site of sites) {
        const { status } = await loadSiteStatus(ctx, site.id);
        const { lots: _lots, ...totals } = status;
        out.push({ ...totals, location: site.location, lotIds: site.lots.map((l) => l.id) });
      }
      return { sites: out };
    },
  );

  app.get<{ Params: Static<typeof SiteParams> }>(
    '/v1/sites/:siteId',
    {
      schema: routeSchema({
        tags,
        operationId: 'getSite',
        summary: 'A site definition with its live totals and edges',
        params: SiteParams,
        response: {
          200: json(
            'The site definition, its totals and the sync status of its edges',
            SiteSchema(SiteDefinitionSchema),
          ),
          ...noSite,
        },
      }),
    },
    async (request) => {
      const { definition, status } = await loadSiteStatus(ctx, request.params.siteId);
      const { lots: _lots, ...totals } = status;
      return { definition, status: totals, edges: await ctx.store.listEdgeStatus(definition.id) };
    },
  );

  app.get<{ Params: Static<typeof SiteParams> }>(
    '/v1/sites/:siteId/lots',
    {
      schema: routeSchema({
        tags,
        operationId: 'listLots',
        summary: 'Lots with counts per bay kind, vacancy, occupancy and status',
        params: SiteParams,
        response: { 200: json('The lots of the site', LotsSchema), ...noSite },
      }),
    },
    async (request) => {
      const { status } = await loadSiteStatus(ctx, request.params.siteId);
      return { lots: status.lots.map(({ zones: _zones, ...lot }) => lot) };
    },
  );

  app.get<{ Params: Static<typeof LotParams> }>(
    '/v1/sites/:siteId/lots/:lotId',
    {
      schema: routeSchema({
        tags,
        operationId: 'getLot',
        summary: 'One lot with its zones',
        params: LotParams,
        response: {
          200: json('The lot with its zones', LotSchema),
          404: errorReply(404, 'CB_SITE_UNKNOWN or CB_LOT_UNKNOWN: no such site or lot'),
        },
      }),
    },
    async (request) => {
      const { status } = await loadSiteStatus(ctx, request.params.siteId);
      const lot = status.lots.find((l) => l.lotId === request.params.lotId);
      if (!lot)
        throw errors.CB_LOT_UNKNOWN(`site ${status.siteId} has no lot "${request.params.lotId}"`, { path: 'lotId' });
      return lot;
    },
  );

  app.get<{ Params: Static<typeof SiteParams> }>(
    '/v1/sites/:siteId/zones',
    {
      schema: routeSchema({
        tags,
        operationId: 'listZones',
        summary: 'Current counts per zone and bay kind',
        params: SiteParams,
        response: { 200: json('The latest counts of every zone', ZonesSchema), ...noSite },
      }),
    },
    async (request) => {
      await ctx.requireSite(request.params.siteId);
      return { zones: await ctx.store.listZoneStates(request.params.siteId) };
    },
  );

  app.get<{ Params: Static<typeof SiteParams>; Querystring: Static<typeof HistoryQuery> }>(
    '/v1/sites/:siteId/history',
    {
      schema: routeSchema({
        tags,
        summary: 'Counts per zone at 1-minute resolution (last value, free min/max, samples per minute)',
        operationId: 'getHistory',
        params: SiteParams,
        querystring: HistoryQuery,
        response: { 200: json('One point per zone and minute, oldest first', HistorySchema), ...noSite },
      }),
    },
    async (request) => {
      await ctx.requireSite(request.params.siteId);
      const nowMs = ctx.clock.nowMs();
      const q = request.query;
      const toMs = q.toMs ?? nowMs;
      const fromMs = q.fromMs ?? toMs - 86_400_000;
      if (fromMs > toMs)
        throw errors.CB_HTTP_BAD_REQUEST(`querystring.fromMs: ${fromMs} is after toMs ${toMs}`, {
          path: 'querystring.fromMs',
        });
      const points = await ctx.store.listHistory({
        siteId: request.params.siteId,
        fromMs,
        toMs,
        limit: q.limit,
        ...(q.lotId === undefined ? {} : { lotId: q.lotId }),
        ...(q.zoneId === undefined ? {} : { zoneId: q.zoneId }),
      });
      return { fromMs, toMs, bucketMs: 60_000, points };
    },
  );

  for (const [path, operationId, summary, list] of [
    ['devices', 'listDevices', 'Health of every field device', (id: string) => ctx.store.listDevices(id)],
    ['signs', 'listSigns', 'What every guidance sign shows', (id: string) => ctx.store.listSigns(id)],
    ['gates', 'listGates', 'Gate counter totals', (id: string) => ctx.store.listGates(id)],
    ['edges', 'listEdges', 'Sync status of every edge of the site', (id: string) => ctx.store.listEdgeStatus(id)],
  ] as const) {
    app.get<{ Params: Static<typeof SiteParams> }>(
      `/v1/sites/:siteId/${path}`,
      {
        schema: routeSchema({
          tags,
          operationId,
          summary,
          params: SiteParams,
          response: { 200: json(summary, SiteListSchemas[path]), ...noSite },
        }),
      },
      async (request) => {
        await ctx.requireSite(request.params.siteId);
        return { [path]: await list(request.params.siteId) };
      },
    );
  }

  app.get<{ Params: Static<typeof SiteParams> }>(
    '/v1/sites/:siteId/directives',
    {
      schema: routeSchema({
        tags,
        operationId: 'getDirectives',
        summary: 'The directives (reservations and overrides) of a site',
        params: SiteParams,
        response: { 200: json('The current directives', DirectivesSchema), ...noSite },
      }),
    },
    async (request) => {
      await ctx.requireSite(request.params.siteId);
      return ctx.store.getDirectives(request.params.siteId);
    },
  );

  app.get<{ Params: Static<typeof SiteParams>; Querystring: Static<typeof LogQuery> }>(
    '/v1/sites/:siteId/directives/log',
    {
      schema: routeSchema({
        tags,
        operationId: 'getDirectivesLog',
        summary: 'Directive versions sent to edges, newest first',
        params: SiteParams,
        querystring: LogQuery,
        response: { 200: json('Directive versions sent, newest first', DirectivesLogSchema), ...noSite },
      }),
    },
    async (request) => {
      await ctx.requireSite(request.params.siteId);
      return { log: await ctx.store.listDirectivesLog(request.params.siteId, request.query.limit) };
    },
  );
}
