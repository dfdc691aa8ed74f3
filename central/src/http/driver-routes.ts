import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import type { SubmissionView } from '../core/appointment-answers.js';
import { dayStartOf } from '../core/appointment-day.js';
import { driverView } from '../core/driver-view.js';
import type { SiteDefinition } from '../core/site-definition.js';
import { errors } from '../errors.js';
import type { CentralContext } from './context.js';
import { loadSiteStatus } from './read-routes.js';
import { errorReply, json, media } from './response-schemas.js';
import { routeSchema } from './route-schema.js';

const PAGE_DIR = new URL('../../driver-page/', import.meta.url);
/** 128 random bits, base64url: 22 characters nobody can guess. */
const TOKEN_PATTERN = '^[A-Za-z0-9_-]{22}$';
const TokenParams = Type.Object({ token: Type.String({ pattern: TOKEN_PATTERN }) });

const Clock = Type.String({ pattern: '^\\d{2}:\\d{2}$' });
const DriverViewBody = Type.Object(
  {
    siteName: Type.String(),
    outcome: Type.Union(
      ['bay', 'park-and-ride', 'drop-off', 'wait-list', 'released', 'pending'].map((o) => Type.Literal(o)),
    ),
    headline: Type.String(),
    lot: Type.Optional(
      Type.Object({
        name: Type.String(),
        lastTurns: Type.Array(Type.String()),
        free: Type.Union([Type.Integer(), Type.Null()]),
        freeOfKind: Type.Union([Type.Integer(), Type.Null()]),
        status: Type.String(),
      }),
    ),
    zoneId: Type.Optional(Type.String()),
    kind: Type.Optional(Type.String()),
    arrivalWindow: Type.Optional(Type.Object({ from: Clock, to: Clock, fromMs: Type.Number(), toMs: Type.Number() })),
    entrance: Type.Optional(Type.Object({ name: Type.String(), walkMin: Type.Union([Type.Integer(), Type.Null()]) })),
    shuttle: Type.Optional(Type.Object({ rideMin: Type.Integer(), everyMin: Type.Integer() })),
    suggestedStart: Type.Optional(Clock),
    arrivalShiftMin: Type.Number(),
    routeText: Type.Optional(Type.String()),
    version: Type.Integer(),
    refreshS: Type.Integer(),
  },
  { title: 'DriverView' },
);
export type DriverViewBody = Static<typeof DriverViewBody>;

/** A new driver-link token. */
export function newDriverToken(): string {
  return randomBytes(16).toString('base64url');
}

/** Where links point: the configured public origin, else the one the request came to. */
function originOf(ctx: CentralContext, request: FastifyRequest): string {
  return ctx.config.publicBaseUrl ?? `${request.protocol}://${request.host}`;
}

/**
 * Each appointment's driver link (its page and its QR code), made the first time it is asked for: what hospital
 * systems pass on to the patient.
 */
export async function driverLinksFor(
  ctx: CentralContext,
  request: FastifyRequest,
  siteId: string,
  dayStartMs: number,
  appointmentIds: readonly string[],
): Promise<Map<string, { url: string; qrUrl: string }>> {
  const tokens = await ctx.store.ensureDriverLinks(
    siteId,
    dayStartMs,
    appointmentIds,
    newDriverToken,
    ctx.clock.nowMs(),
  );
  const origin = originOf(ctx, request);
  return new Map(
    [...tokens].map(([id, token]) => [id, { url: `${origin}/d/${token}`, qrUrl: `${origin}/d/${token}/qr.svg` }]),
  );
}

/** A submission's answers, each with its appointment's driver link (grouped by the site-local day it falls in). */
export async function withDriverLinks(
  ctx: CentralContext,
  request: FastifyRequest,
  site: SiteDefinition,
  view: SubmissionView,
): Promise<SubmissionView> {
  const idsByDay = new Map<number, string[]>();
  for (const entry of view.read.entries) {
    const appointment = entry.appointment;
    if (appointment === undefined || !view.answers.has(appointment.id)) continue;
    const day = dayStartOf(appointment.startMs, site.utcOffsetMin ?? 0);
    idsByDay.set(day, [...(idsByDay.get(day) ?? []), appointment.id]);
  }
  const answers = new Map(view.answers);
  for (const [dayStartMs, ids] of idsByDay) {
    for (const [id, driverLink] of await driverLinksFor(ctx, request, site.id, dayStartMs, ids)) {
      const answer = answers.get(id);
      if (answer !== undefined) answers.set(id, { ...answer, driverLink });
    }
  }
  return { ...view, answers };
}

/**
 * The driver's page: `/d/<token>` (a phone page that shows the plan and asks for changes every `driverPageRefreshS`),
 * its JSON `/v1/driver/<token>` and the link's QR code. The token is the only key; a token never made answers 404.
 */
export function registerDriverRoutes(app: FastifyInstance, ctx: CentralContext): void {
  const page = readFileSync(new URL('index.html', PAGE_DIR), 'utf8');
  const assets: Record<string, { type: string; body: string }> = {
    'driver.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(new URL('driver.js', PAGE_DIR), 'utf8') },
    'driver.css': { type: 'text/css; charset=utf-8', body: readFileSync(new URL('driver.css', PAGE_DIR), 'utf8') },
  };
  const tags = ['driver'];
  const noLink = errorReply(404, 'CB_HTTP_NOT_FOUND: no such driver link');
  const notFound = (): never => {
    throw errors.CB_HTTP_NOT_FOUND('token: no such driver link', { path: 'token' });
  };
  const noStore = (reply: FastifyReply): FastifyReply => reply.header('cache-control', 'no-store');

  app.get<{ Params: Static<typeof TokenParams> }>(
    '/v1/driver/:token',
    {
      schema: routeSchema({
        tags,
        operationId: 'getDriverPlan',
        summary: "One driver's plan (outcome, lot, entrance, kind, window, last turns) and the lot's live free count",
        params: TokenParams,
        response: { 200: json("The driver's plan", DriverViewBody), 404: noLink },
      }),
    },
    async (request, reply) => {
      const link = (await ctx.store.getDriverLink(request.params.token)) ?? notFound();
      // The link follows its appointment when the hospital moves it to another day.
      const stored = await ctx.store.appointmentDaysOf(link.siteId, [link.appointmentId]);
      const [{ definition, status }, day] = await Promise.all([
        loadSiteStatus(ctx, link.siteId),
        ctx.store.getAppointmentDay(link.siteId, stored.get(link.appointmentId) ?? link.dayStartMs),
      ]);
      const appointment = day?.appointments.find((a) => a.id === link.appointmentId);
      const assignment = day?.assignments.find((a) => a.appointmentId === link.appointmentId);
      noStore(reply);
      return driverView(
        definition,
        appointment,
        assignment,
        status.lots,
        day?.version ?? 0,
        ctx.config.driverPageRefreshS,
      );
    },
  );

  app.get<{ Params: Static<typeof TokenParams> }>(
    '/d/:token',
    {
      schema: routeSchema({
        tags,
        operationId: 'getDriverPage',
        summary: "One driver's page (HTML for a phone); it shows the plan and follows its changes",
        params: TokenParams,
        response: { 200: media('The page', 'text/html', Type.String()), 404: noLink },
      }),
    },
    async (request, reply) => {
      if ((await ctx.store.getDriverLink(request.params.token)) === undefined) notFound();
      return noStore(reply).type('text/html; charset=utf-8').send(page);
    },
  );

  app.get<{ Params: Static<typeof TokenParams> }>(
    '/d/:token/qr.svg',
    {
      schema: routeSchema({
        tags,
        operationId: 'getDriverQrCode',
        summary: "The QR code (SVG) of one driver's link, to print on a letter or show at a desk",
        params: TokenParams,
        response: { 200: media('The QR code', 'image/svg+xml', Type.String()), 404: noLink },
      }),
    },
    async (request, reply) => {
      const link = (await ctx.store.getDriverLink(request.params.token)) ?? notFound();
      const svg = await QRCode.toString(`${originOf(ctx, request)}/d/${link.token}`, {
        type: 'svg',
        errorCorrectionLevel: 'M',
        margin: 2,
      });
      return noStore(reply).type('image/svg+xml').send(svg);
    },
  );

  app.get<{ Params: { file: string } }>(
    '/driver-assets/:file',
    {
      schema: routeSchema({
        tags,
        operationId: 'getDriverPageAsset',
        summary: "The driver page's script and style sheet",
        params: Type.Object({ file: Type.Union([Type.Literal('driver.js'), Type.Literal('driver.css')]) }),
        response: {
          200: {
            description: 'The file',
            content: { 'text/javascript': { schema: Type.String() }, 'text/css': { schema: Type.String() } },
          },
        },
      }),
    },
    async (request, reply) => {
      const asset = assets[request.params.file] ?? notFound();
      return reply.header('cache-control', 'public, max-age=300').type(asset.type).send(asset.body);
    },
  );
}
