import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { AreaStatus, Arrow, BayKind, Colour, LineMode, type SignLine } from '@citybay/proto';
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { FastifyInstance } from 'fastify';
import { errors } from '../errors.js';
import type { CentralContext } from './context.js';
import { DashboardFeed } from './dashboard-feed.js';
import { keyAccess } from './auth.js';
import { dashboardSnapshotSchema } from './dashboard-schemas.js';
import { documentedBody, json, media, noBody } from './response-schemas.js';
import { routeSchema } from './route-schema.js';
import { registerWhatIfRoutes } from './whatif-routes.js';

/** How often the live feed pushes a fresh snapshot to every open dashboard (ms). */
const FEED_INTERVAL_MS = 1000;
/** Most upcoming reservations listed per site in a snapshot (the count covers all). */
const RESERVATIONS_LISTED = 25;

/** The static dashboard (HTML, CSS, JS): `central/dashboard/`, next to `src/` and `dist/`. */
const DASHBOARD_DIR = fileURLToPath(new URL('../../dashboard/', import.meta.url));

const SignLineSchema = Type.Object({
  label: Type.String({ maxLength: 32 }),
  arrow: Type.String({ maxLength: 16 }),
  value: Type.Union([
    Type.Number(),
    Type.String({ maxLength: 16 }),
    Type.Object({ text: Type.String({ maxLength: 64 }) }),
  ]),
  colour: Type.String({ maxLength: 16 }),
});

/** What the demo's twin reports: simulated time, the approach queue, emulated sign faces, appointments posted. */
export const TwinReportSchema = Type.Object({
  scenario: Type.String({ maxLength: 200 }),
  policy: Type.String({ maxLength: 100 }),
  speed: Type.Number({ exclusiveMinimum: 0 }),
  /** `closed-loop`: its drivers read the emulated signs and go to the bays central reserved (the only mode). */
  mode: Type.Optional(Type.Literal('closed-loop')),
  /** The district's local time offset from UTC (minutes), for showing appointment times. */
  utcOffsetMin: Type.Optional(Type.Integer({ minimum: -840, maximum: 840 })),
  simTimeS: Type.Number({ minimum: 0, maximum: 172_800 }),
  fromS: Type.Number({ minimum: 0 }),
  toS: Type.Number({ minimum: 0 }),
  isRunning: Type.Boolean(),
  approachQueueM: Type.Number({ minimum: 0 }),
  /** Queue (m) per network link that has one now, for the map (links without a queue are left out). */
  linkQueuesM: Type.Optional(
    Type.Record(Type.String({ maxLength: 128 }), Type.Number({ minimum: 0, maximum: 1e6 }), { maxProperties: 20_000 }),
  ),
  queueSeries: Type.Array(Type.Object({ simS: Type.Number(), queueM: Type.Number({ minimum: 0 }) }), {
    maxItems: 5000,
  }),
  simOccupancy: Type.Record(Type.String(), Type.Record(Type.String(), Type.Number())),
  signs: Type.Array(
    Type.Object({
      siteId: Type.String(),
      signId: Type.String(),
      location: Type.String({ maxLength: 200 }),
      message: Type.Union([Type.Null(), Type.Object({ lines: Type.Array(SignLineSchema, { maxItems: 16 }) })]),
    }),
    { maxItems: 500 },
  ),
  /** Samples of the emulated signs read together, and those where a sign said FULL over bays another showed free. */
  signCheck: Type.Optional(
    Type.Object({
      samples: Type.Integer({ minimum: 0 }),
      contradictory: Type.Integer({ minimum: 0 }),
      last: Type.Optional(Type.String({ maxLength: 300 })),
    }),
  ),
  /**
   * The closed loop, as the twin measures it: pre-assigned drivers who held central's reservation as the edge had it
   * (or set off before one reached it), reservations seen at the edges, the measured latencies (real ms), and the lot
   * each sign sends the twin's compliant drivers to now (null: none).
   */
  loop: Type.Optional(
    Type.Object({
      preAssignedByCentral: Type.Integer({ minimum: 0 }),
      preAssignedWithoutReservation: Type.Integer({ minimum: 0 }),
      reservationsSeen: Type.Integer({ minimum: 0 }),
      sensorToSignMedianMs: Type.Number({ minimum: 0 }),
      /** What a driver sees: from a change of what a sign must show (bays, reservations) to the first write showing it. */
      signLagMedianMs: Type.Optional(Type.Number({ minimum: 0 })),
      directiveRoundTripMedianMs: Type.Number({ minimum: 0 }),
      signsSendTo: Type.Record(
        Type.String({ maxLength: 128 }),
        Type.Union([Type.String({ maxLength: 64 }), Type.Null()]),
        {
          maxProperties: 500,
        },
      ),
    }),
  ),
  appointments: Type.Object({
    status: Type.String({ maxLength: 32 }),
    posted: Type.Integer({ minimum: 0 }),
    assigned: Type.Integer({ minimum: 0 }),
    /** Posted appointments per outcome in central's answers (`bay`, `park-and-ride`, `drop-off`, `wait-list`). */
    byOutcome: Type.Optional(
      Type.Record(Type.String({ maxLength: 32 }), Type.Integer({ minimum: 0 }), { maxProperties: 16 }),
    ),
    message: Type.Optional(Type.String({ maxLength: 1000 })),
    items: Type.Array(
      Type.Object({
        id: Type.String({ maxLength: 128 }),
        startMs: Type.Number(),
        simStartS: Type.Optional(Type.Number()),
        kind: Type.String({ maxLength: 32 }),
        outcome: Type.Optional(Type.String({ maxLength: 32 })),
        lotId: Type.Optional(Type.String({ maxLength: 64 })),
        zoneId: Type.Optional(Type.String({ maxLength: 64 })),
      }),
      { maxItems: 500 },
    ),
  }),
});
export type TwinReport = Static<typeof TwinReportSchema>;

const MapId = Type.String({ minLength: 1, maxLength: 128 });
const MetresSchema = Type.Number({ minimum: -1e7, maximum: 1e7 });

/**
 * The district map the dashboard draws (no tiles): the scenario's nodes (m) and links, and where each site's lots
 * (their gate: the downstream end of the entry link) and signs (the downstream end of their link) are.
 */
export const DashboardMapSchema = Type.Object(
  {
    nodes: Type.Array(Type.Object({ id: MapId, xM: MetresSchema, yM: MetresSchema }, { additionalProperties: false }), {
      maxItems: 20_000,
    }),
    links: Type.Array(
      Type.Object(
        {
          id: MapId,
          fromNodeId: MapId,
          toNodeId: MapId,
          laneCount: Type.Integer({ minimum: 1, maximum: 16 }),
          name: Type.Optional(Type.String({ maxLength: 200 })),
        },
        { additionalProperties: false },
      ),
      { maxItems: 20_000 },
    ),
    lots: Type.Array(Type.Object({ siteId: MapId, lotId: MapId, edgeId: MapId }, { additionalProperties: false }), {
      maxItems: 1000,
    }),
    signs: Type.Array(Type.Object({ siteId: MapId, signId: MapId, edgeId: MapId }, { additionalProperties: false }), {
      maxItems: 1000,
    }),
  },
  { additionalProperties: false },
);
export type DashboardMap = Static<typeof DashboardMapSchema>;

/** The first reference in a map to a node or link it does not have, as a field path and message. */
function mapReferenceError(map: DashboardMap): { path: string; message: string } | undefined {
  const nodes = new Set(map.nodes.map((n) => n.id));
  const links = new Set(map.links.map((l) => l.id));
  for (const [i, link] of map.links.entries()) {
    if (!nodes.has(link.fromNodeId)) return { path: `/links/${i}/fromNodeId`, message: 'unknown node' };
    if (!nodes.has(link.toNodeId)) return { path: `/links/${i}/toNodeId`, message: 'unknown node' };
  }
  for (const key of ['lots', 'signs'] as const) {
    for (const [i, place] of map[key].entries()) {
      if (!links.has(place.edgeId)) return { path: `/${key}/${i}/edgeId`, message: 'unknown link' };
    }
  }
  return undefined;
}

const enumName = (table: Record<string | number, string | number>, value: number, prefix: string): string =>
  String(table[value] ?? `${prefix}UNKNOWN`)
    .slice(prefix.length)
    .toLowerCase()
    .replace(/_/g, '-');

/** A stored sign line in the words a driver reads: `{ label: 'P2', arrow: 'left', text: '23', colour: 'green' }`. */
function faceLine(line: SignLine): { label: string; arrow: string; text: string; colour: string } {
  const mode = line.mode as number;
  const text =
    mode === LineMode.LINE_MODE_COUNT
      ? String(line.count)
      : mode === LineMode.LINE_MODE_FULL
        ? 'FULL'
        : mode === LineMode.LINE_MODE_CLOSED
          ? 'CLOSED'
          : mode === LineMode.LINE_MODE_TEXT
            ? (line.text ?? '')
            : '';
  return {
    label: line.label ?? '',
    arrow: enumName(Arrow as never, line.arrow as number, 'ARROW_'),
    text,
    colour: enumName(Colour as never, line.colour as number, 'COLOUR_'),
  };
}

/** Everything the dashboard shows, read through the store in one go. */
async function buildSnapshot(
  ctx: CentralContext,
  twin: TwinReport | undefined,
  map: DashboardMap | undefined,
): Promise<unknown> {
  const nowMs = ctx.clock.nowMs();
  // Reservations are held on the calendar (in the demo: the twin's simulated day), not necessarily the wall clock.
  const calendarMs = ctx.calendarClock.nowMs();
  const sites = await ctx.store.listSites();
  const out = await Promise.all(
    sites.map(async (site) => {
      const [zones, signs, devices, edges, directives] = await Promise.all([
        ctx.store.listZoneStates(site.id),
        ctx.store.listSigns(site.id),
        ctx.store.listDevices(site.id),
        ctx.store.listEdgeStatus(site.id),
        ctx.store.getDirectives(site.id),
      ]);
      const reservations = [...(directives.reservations ?? [])]
        .filter((r) => Number(r.validUntilMs) === 0 || Number(r.validUntilMs) > calendarMs)
        .sort((a, b) => Number(a.validFromMs) - Number(b.validFromMs));
      const reservationsByLot: Record<string, number> = {};
      // What edges withhold from the public right now, by lot and bay kind.
      const heldNowByLot: Record<string, Record<string, number>> = {};
      for (const r of reservations) {
        const lotId = r.lotId ?? '';
        reservationsByLot[lotId] = (reservationsByLot[lotId] ?? 0) + 1;
        if (Number(r.validFromMs) <= calendarMs) {
          const kind = enumName(BayKind as never, r.kind as number, 'BAY_KIND_');
          const byKind = (heldNowByLot[lotId] ??= {});
          byKind[kind] = (byKind[kind] ?? 0) + 1;
        }
      }
      return {
        id: site.id,
        name: site.name,
        lots: site.lots.map((lot) => ({
          id: lot.id,
          name: lot.name,
          capacity: lot.capacity,
          zones: lot.zones.map((z) => z.id),
        })),
        zones: zones.map((z) => ({
          lotId: z.lotId,
          zoneId: z.zoneId,
          kinds: z.kinds,
          free: z.free,
          occupied: z.occupied,
          unknown: z.unknown,
          windowEndMs: z.windowEndMs,
          ageMs: nowMs - z.windowEndMs,
        })),
        signs: signs.map((s) => ({
          signId: s.signId,
          edgeId: s.edgeId,
          isFallback: s.isFallback,
          reportedMs: s.reportedMs,
          lines: s.lines.map(faceLine),
        })),
        devices: devices.map((d) => ({
          deviceId: d.deviceId,
          edgeId: d.edgeId,
          status: d.status,
          okCount: d.okCount,
          timeoutCount: d.timeoutCount,
          crcErrorCount: d.crcErrorCount,
          exceptionCount: d.exceptionCount,
          lastGoodMs: d.lastGoodMs,
        })),
        edges: edges.map((e) => ({
          edgeId: e.edgeId,
          ackedSeq: e.ackedSeq,
          missingSeqCount: e.missingSeqCount,
          lastSeenMs: e.lastSeenMs,
          softwareVersion: e.softwareVersion,
          directivesVersionApplied: e.directivesVersionApplied,
          directivesVersionSent: e.directivesVersionSent,
        })),
        directives: {
          version: Number(directives.version),
          reservationCount: reservations.length,
          reservationsByLot,
          heldNowByLot,
          reservations: reservations.slice(0, RESERVATIONS_LISTED).map((r) => ({
            id: r.reservationId,
            lotId: r.lotId,
            zoneId: r.zoneId,
            kind: enumName(BayKind as never, r.kind as number, 'BAY_KIND_'),
            bayId: r.bayId,
            validFromMs: Number(r.validFromMs),
            validUntilMs: Number(r.validUntilMs),
          })),
          lotOverrides: (directives.lotOverrides ?? []).map((o) => ({
            lotId: o.lotId,
            zoneId: o.zoneId,
            status: enumName(AreaStatus as never, o.status as number, 'AREA_STATUS_'),
            reason: o.reason,
            validUntilMs: Number(o.validUntilMs),
          })),
          signOverrides: (directives.signOverrides ?? []).map((o) => ({
            signId: o.signId,
            reason: o.reason,
            expiresMs: Number(o.expiresMs),
            lines: (o.lines ?? []).map(faceLine),
          })),
        },
      };
    }),
  );
  return { nowMs, sites: out, twin: twin ?? null, map: map ?? null };
}

/**
 * The operator dashboard: static pages under `/dashboard/`, a JSON snapshot (`GET /v1/dashboard/state`), a live
 * feed of snapshots as server-sent events (`GET /v1/dashboard/events`) and the endpoint the demo's twin reports
 * its simulated approach queue and emulated sign faces to (`POST /v1/dashboard/twin`, operator key; kept in this
 * instance's memory, as the demo posts it again every second), and the what-if catalogue (`whatif-routes.ts`).
 */
export async function registerDashboardRoutes(app: FastifyInstance, ctx: CentralContext): Promise<void> {
  let twin: TwinReport | undefined;
  let map: DashboardMap | undefined;
  const feed = new DashboardFeed();
  let feedTimer: NodeJS.Timeout | undefined;

  await app.register(fastifyStatic, { root: DASHBOARD_DIR, prefix: '/dashboard/', index: ['index.html'] });
  app.get(
    '/',
    {
      schema: routeSchema({
        tags: ['dashboard'],
        operationId: 'redirectToDashboard',
        summary: 'Redirects to the dashboard',
        response: { 302: noBody('To /dashboard/') },
      }),
    },
    (_request, reply) => reply.redirect('/dashboard/'),
  );
  app.get('/dashboard', { schema: { hide: true } }, (_request, reply) => reply.redirect('/dashboard/'));
  // Browsers ask for /favicon.ico whatever the page says; without it every visit logged a 404.
  app.get('/favicon.ico', { schema: { hide: true } }, (_request, reply) =>
    reply.header('cache-control', 'public, max-age=86400').sendFile('favicon.ico', DASHBOARD_DIR),
  );

  app.get(
    '/v1/dashboard/state',
    {
      schema: routeSchema({
        tags: ['dashboard'],
        operationId: 'getDashboardState',
        summary: 'Everything the dashboard shows, now',
        response: { 200: json('The snapshot', dashboardSnapshotSchema(TwinReportSchema, DashboardMapSchema)) },
      }),
    },
    async () => buildSnapshot(ctx, twin, map),
  );

  const broadcast = async (): Promise<void> => {
    if (feed.size === 0) return;
    try {
      feed.publish(await buildSnapshot(ctx, twin, map));
    } catch (err) {
      app.log.error({ err }, 'dashboard snapshot failed');
    }
  };

  app.get(
    '/v1/dashboard/events',
    {
      schema: routeSchema({
        tags: ['dashboard'],
        operationId: 'getDashboardEvents',
        summary:
          'Live feed (text/event-stream): a full snapshot (event "snapshot"), then every second the changes (event "delta")',
        response: {
          200: media(
            'Server-sent events: "snapshot" (the state as GET /v1/dashboard/state answers it), then every second "delta" (the changes since the previous message; see dashboard-delta.ts)',
            'text/event-stream',
            Type.String(),
          ),
        },
      }),
    },
    (request, reply) => {
      // A HEAD request gets the headers only: Node sends a HEAD's headers with its end, which an open feed never has.
      if (request.method === 'HEAD') return reply.type('text/event-stream; charset=utf-8').send();
      reply.hijack();
      feed.open(request, reply);
      feedTimer ??= setInterval(() => void broadcast(), FEED_INTERVAL_MS);
      void broadcast();
      request.raw.on('close', () => {
        if (feed.size === 0 && feedTimer !== undefined) {
          clearInterval(feedTimer);
          feedTimer = undefined;
        }
      });
    },
  );

  app.post(
    '/v1/dashboard/twin',
    {
      config: { access: keyAccess(['operator']), swaggerTransform: documentedBody(TwinReportSchema) },
      schema: routeSchema({
        tags: ['dashboard'],
        operationId: 'postTwinReport',
        summary: "The demo twin's report (operator key)",
        response: { 204: noBody('Kept (in this instance, until the next report)') },
      }),
    },
    async (request, reply) => {
      const first = Value.Errors(TwinReportSchema, request.body).First();
      if (first !== undefined) {
        throw errors.CB_HTTP_BAD_REQUEST(`twin report: ${first.path || '(root)'}: ${first.message}`, {
          path: first.path,
        });
      }
      twin = request.body as TwinReport;
      return reply.status(204).send();
    },
  );

  app.put(
    '/v1/dashboard/map',
    {
      config: { access: keyAccess(['operator']), swaggerTransform: documentedBody(DashboardMapSchema) },
      schema: routeSchema({
        tags: ['dashboard'],
        operationId: 'putDashboardMap',
        summary: "The district map the dashboard draws: the scenario's geometry, lots and signs (operator key)",
        response: { 204: noBody('Kept (in this instance)') },
      }),
    },
    async (request, reply) => {
      const first = Value.Errors(DashboardMapSchema, request.body).First();
      if (first !== undefined) {
        throw errors.CB_HTTP_BAD_REQUEST(`map: ${first.path || '(root)'}: ${first.message}`, { path: first.path });
      }
      const body = request.body as DashboardMap;
      const bad = mapReferenceError(body);
      if (bad) throw errors.CB_HTTP_BAD_REQUEST(`map: ${bad.path}: ${bad.message}`, { path: bad.path });
      map = body;
      return reply.status(204).send();
    },
  );

  registerWhatIfRoutes(app, ctx);

  // Open feeds would otherwise hold the server open through the whole shutdown grace period.
  app.addHook('preClose', async () => {
    if (feedTimer !== undefined) clearInterval(feedTimer);
    feed.closeAll();
  });
}
