import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { datexParkingTable, datexParkingTableXml } from '../core/datex-parking-table.js';
import { datexParkingStatus, datexParkingStatusXml } from '../core/datex-publication.js';
import { lotsGeoJson } from '../core/lots-geojson.js';
import type { CentralContext } from './context.js';
import { DatexParkingStatusSchema, DatexParkingTableSchema, datexResponses } from './datex-schemas.js';
import { LotFeatureCollectionSchema } from './read-schemas.js';
import { errorReply, media } from './response-schemas.js';
import { routeSchema } from './route-schema.js';

const GEOJSON = 'application/geo+json';
import { loadSiteStatus } from './read-routes.js';

const SiteParams = Type.Object({ siteId: Type.String({ maxLength: 64 }) });

/** The parking table of every site, or of one: a status feed refers to the table of the same scope. */
const tableIdOf = (siteId?: string): string => (siteId === undefined ? 'citybay' : `citybay/${siteId}`);

/**
 * DATEX II v3 parking table and parking status (JSON, or XML on `Accept: application/xml`) and GeoJSON of lots.
 * The status records refer to the table's records by id and version, and the status to the table.
 */
export function registerExportRoutes(app: FastifyInstance, ctx: CentralContext): void {
  const tags = ['exports'];
  const geoJson = media('Lots as GeoJSON features (RFC 7946, WGS 84)', GEOJSON, LotFeatureCollectionSchema);
  const publisher = { country: ctx.config.datexCountry, nationalIdentifier: ctx.config.datexNationalIdentifier };
  const statuses = async (siteId?: string) => {
    const ids = siteId ? [siteId] : (await ctx.store.listSites()).map((s) => s.id);
    return Promise.all(ids.map((id) => loadSiteStatus(ctx, id)));
  };
  /** Each site (one, or all) with the time its definition was stored: the version of its records. */
  const versioned = async (siteId?: string) => {
    const [sites, versions] = await Promise.all([statuses(siteId), ctx.store.listSiteVersions()]);
    const updatedMsOf = new Map(versions.map((v) => [v.siteId, v.updatedMs]));
    return sites.map((site) => ({ ...site, updatedMs: updatedMsOf.get(site.definition.id) ?? 0 }));
  };
  const wantsXml = (request: FastifyRequest) => (request.headers.accept ?? '').includes('xml');
  const sendStatus = async (request: FastifyRequest, reply: FastifyReply, siteId?: string) => {
    const publication = datexParkingStatus(await versioned(siteId), ctx.clock.nowMs(), {
      publisher,
      tableId: tableIdOf(siteId),
    });
    if (wantsXml(request)) return reply.type('application/xml; charset=utf-8').send(datexParkingStatusXml(publication));
    return publication;
  };
  const sendTable = async (request: FastifyRequest, reply: FastifyReply, siteId?: string) => {
    const publication = datexParkingTable(await versioned(siteId), ctx.clock.nowMs(), {
      publisher,
      tableId: tableIdOf(siteId),
    });
    if (wantsXml(request)) return reply.type('application/xml; charset=utf-8').send(datexParkingTableXml(publication));
    return publication;
  };

  app.get(
    '/v1/datex/parking-status',
    {
      schema: routeSchema({
        tags,
        summary: 'DATEX II v3 ParkingStatusPublication for every site and lot',
        operationId: 'getDatexParkingStatus',
        response: datexResponses(DatexParkingStatusSchema, false),
      }),
    },
    (request, reply) => sendStatus(request, reply),
  );
  app.get<{ Params: Static<typeof SiteParams> }>(
    '/v1/sites/:siteId/datex/parking-status',
    {
      schema: routeSchema({
        tags,
        summary: 'DATEX II v3 ParkingStatusPublication for one site',
        operationId: 'getSiteDatexParkingStatus',
        params: SiteParams,
        response: datexResponses(DatexParkingStatusSchema, true),
      }),
    },
    (request, reply) => sendStatus(request, reply, request.params.siteId),
  );
  app.get(
    '/v1/datex/parking-table',
    {
      schema: routeSchema({
        tags,
        summary: 'DATEX II v3 ParkingTablePublication: every site and lot with capacities and locations',
        operationId: 'getDatexParkingTable',
        response: datexResponses(DatexParkingTableSchema, false),
      }),
    },
    (request, reply) => sendTable(request, reply),
  );
  app.get<{ Params: Static<typeof SiteParams> }>(
    '/v1/sites/:siteId/datex/parking-table',
    {
      schema: routeSchema({
        tags,
        summary: 'DATEX II v3 ParkingTablePublication for one site',
        operationId: 'getSiteDatexParkingTable',
        params: SiteParams,
        response: datexResponses(DatexParkingTableSchema, true),
      }),
    },
    (request, reply) => sendTable(request, reply, request.params.siteId),
  );

  app.get(
    '/v1/geojson/lots',
    {
      schema: routeSchema({
        tags,
        operationId: 'getLotsGeoJson',
        summary: 'GeoJSON FeatureCollection of every lot with live counts',
        response: { 200: geoJson },
      }),
    },
    async (_request, reply) => reply.type(GEOJSON).send(lotsGeoJson(await statuses())),
  );
  app.get<{ Params: Static<typeof SiteParams> }>(
    '/v1/sites/:siteId/lots.geojson',
    {
      schema: routeSchema({
        tags,
        operationId: 'getSiteLotsGeoJson',
        summary: 'GeoJSON FeatureCollection of the lots of one site',
        params: SiteParams,
        response: { 200: geoJson, 404: errorReply(404, 'CB_SITE_UNKNOWN: no such site') },
      }),
    },
    async (request, reply) => reply.type(GEOJSON).send(lotsGeoJson(await statuses(request.params.siteId))),
  );
}
