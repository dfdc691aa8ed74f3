import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { datexParkingStatus, datexParkingStatusXml } from '../core/datex-publication.js';
import { lotsGeoJson } from '../core/lots-geojson.js';
import type { CentralContext } from './context.js';
import { routeSchema } from './route-schema.js';
import { loadSiteStatus } from './read-routes.js';

const SiteParams = Type.Object({ siteId: Type.String({ maxLength: 64 }) });

/** DATEX II v3 parking status (JSON, or XML on `Accept: application/xml`) and GeoJSON of lots. */
export function registerExportRoutes(app: FastifyInstance, ctx: CentralContext): void {
  const tags = ['exports'];
  const statuses = async (siteId?: string) => {
    const ids = siteId ? [siteId] : (await ctx.store.listSites()).map((s) => s.id);
    return Promise.all(ids.map((id) => loadSiteStatus(ctx, id)));
  };
  const sendDatex = async (request: FastifyRequest, reply: FastifyReply, siteId?: string) => {
    const publication = datexParkingStatus(
      (await statuses(siteId)).map((s) => s.status),
      ctx.clock.nowMs(),
    );
    if ((request.headers.accept ?? '').includes('xml')) {
      return reply.type('application/xml; charset=utf-8').send(datexParkingStatusXml(publication));
    }
    return publication;
  };

  app.get(
    '/v1/datex/parking-status',
    { schema: routeSchema({ tags, summary: 'DATEX II v3 ParkingStatusPublication for every site and lot' }) },
    (request, reply) => sendDatex(request, reply),
  );
  app.get<{ Params: Static<typeof SiteParams> }>(
    '/v1/sites/:siteId/datex/parking-status',
    { schema: routeSchema({ tags, summary: 'DATEX II v3 ParkingStatusPublication for one site', params: SiteParams }) },
    (request, reply) => sendDatex(request, reply, request.params.siteId),
  );

  app.get(
    '/v1/geojson/lots',
    { schema: routeSchema({ tags, summary: 'GeoJSON FeatureCollection of every lot with live counts' }) },
    async (_request, reply) => reply.type('application/geo+json').send(lotsGeoJson(await statuses())),
  );
  app.get<{ Params: Static<typeof SiteParams> }>(
    '/v1/sites/:siteId/lots.geojson',
    { schema: routeSchema({ tags, summary: 'GeoJSON FeatureCollection of the lots of one site', params: SiteParams }) },
    async (request, reply) =>
      reply.type('application/geo+json').send(lotsGeoJson(await statuses(request.params.siteId))),
  );
}
