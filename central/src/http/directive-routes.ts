import { AreaStatus, Arrow, Colour, LineMode, type SignLine } from '@citybay/proto';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { errors } from '../errors.js';
import { keyAccess } from './auth.js';
import type { CentralContext } from './context.js';
import { DirectivesSchema } from './read-schemas.js';
import { errorReply, json } from './response-schemas.js';
import { routeSchema } from './route-schema.js';

/** Lower-case names of a protobuf enum without its prefix: `ARROW_LEFT` → `left`. */
function enumNames<E extends Record<string, string | number>>(e: E, prefix: string): Record<string, number> {
  return Object.fromEntries(
    Object.entries(e)
      .filter(([, v]) => typeof v === 'number')
      .map(([k, v]) => [k.slice(prefix.length).toLowerCase(), v as number]),
  );
}
const ARROWS = enumNames(Arrow, 'ARROW_');
const MODES = enumNames(LineMode, 'LINE_MODE_');
const COLOURS = enumNames(Colour, 'COLOUR_');
const STATUSES: Record<string, AreaStatus> = {
  open: AreaStatus.AREA_STATUS_OPEN,
  closed: AreaStatus.AREA_STATUS_CLOSED,
  full: AreaStatus.AREA_STATUS_FULL,
};
const oneOf = (names: Record<string, number>) => Type.Union(Object.keys(names).map((n) => Type.Literal(n)));

const Id = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$' });
const SiteParams = Type.Object({ siteId: Id });
const LotOverrideBody = Type.Object(
  {
    lotId: Id,
    zoneId: Type.Optional(Type.String({ pattern: '^([A-Za-z0-9][A-Za-z0-9._:-]{0,63})?$' })),
    status: oneOf(STATUSES),
    validFromMs: Type.Integer({ minimum: 0, default: 0 }),
    /** 0: until replaced. */
    validUntilMs: Type.Integer({ minimum: 0, default: 0 }),
    reason: Type.String({ maxLength: 200, default: '' }),
  },
  { additionalProperties: false },
);
const SignOverrideBody = Type.Object(
  {
    signId: Id,
    lines: Type.Array(
      Type.Object(
        {
          label: Type.String({ maxLength: 32, default: '' }),
          arrow: oneOf(ARROWS),
          mode: oneOf(MODES),
          count: Type.Integer({ minimum: 0, maximum: 99_999, default: 0 }),
          text: Type.String({ maxLength: 64, default: '' }),
          colour: oneOf(COLOURS),
        },
        { additionalProperties: false },
      ),
      { maxItems: 8 },
    ),
    expiresMs: Type.Integer({ minimum: 1 }),
    reason: Type.String({ maxLength: 200, default: '' }),
  },
  { additionalProperties: false },
);

/** Largest body of a directive request (16 KiB): the largest override (8 sign lines) is under 3 KiB. */
export const DIRECTIVE_BODY_LIMIT_BYTES = 16 * 1024;

/** Operator API: open/close lots and put messages on signs; every change is a new directives version. */
export function registerDirectiveRoutes(app: FastifyInstance, ctx: CentralContext): void {
  const tags = ['operator'];
  // Operators of the site named in the URL; the hook runs before the body is parsed.
  const config = { access: keyAccess(['operator'], 'params') };
  // An override is a few hundred bytes: these routes take no more than this.
  const bodyLimit = DIRECTIVE_BODY_LIMIT_BYTES;
  const response = {
    200: json('The new directives (a new version when anything changed)', DirectivesSchema),
    404: errorReply(404, 'CB_SITE_UNKNOWN: no such site'),
  };
  app.put<{ Params: Static<typeof SiteParams>; Body: Static<typeof LotOverrideBody> }>(
    '/v1/sites/:siteId/lot-overrides',
    {
      config,
      bodyLimit,
      schema: routeSchema({
        tags,
        operationId: 'putLotOverride',
        summary: 'Open, close or mark full a lot or zone',
        params: SiteParams,
        body: LotOverrideBody,
        response,
      }),
    },
    async (request) => {
      const { siteId } = request.params;
      const holder = request.apiKeyHolder!;
      const site = await ctx.requireSite(siteId);
      const body = request.body;
      const lot = site.lots.find((l) => l.id === body.lotId);
      if (!lot)
        throw errors.CB_HTTP_BAD_REQUEST(`body.lotId: site ${siteId} has no lot "${body.lotId}"`, {
          path: 'body.lotId',
        });
      if (body.zoneId && !lot.zones.some((z) => z.id === body.zoneId)) {
        throw errors.CB_HTTP_BAD_REQUEST(`body.zoneId: lot ${lot.id} has no zone "${body.zoneId}"`, {
          path: 'body.zoneId',
        });
      }
      if (body.validUntilMs !== 0 && body.validUntilMs <= body.validFromMs) {
        throw errors.CB_HTTP_BAD_REQUEST('body.validUntilMs: must be after validFromMs (or 0)', {
          path: 'body.validUntilMs',
        });
      }
      request.log.info({ operator: holder.id, siteId, override: body }, 'lot override set');
      return ctx.store.putLotOverride(
        siteId,
        { ...body, zoneId: body.zoneId ?? '', status: STATUSES[body.status]! },
        ctx.clock.nowMs(),
      );
    },
  );

  app.delete<{ Params: Static<typeof SiteParams> & { lotId: string }; Querystring: { zoneId?: string } }>(
    '/v1/sites/:siteId/lot-overrides/:lotId',
    {
      config,
      bodyLimit,
      schema: routeSchema({
        tags,
        operationId: 'deleteLotOverride',
        summary: 'Remove a lot (or ?zoneId=) override',
        response,
      }),
    },
    async (request) => {
      const { siteId, lotId } = request.params;
      await ctx.requireSite(siteId);
      return ctx.store.removeLotOverride(siteId, lotId, request.query.zoneId ?? '', ctx.clock.nowMs());
    },
  );

  app.put<{ Params: Static<typeof SiteParams>; Body: Static<typeof SignOverrideBody> }>(
    '/v1/sites/:siteId/sign-overrides',
    {
      config,
      bodyLimit,
      schema: routeSchema({
        tags,
        operationId: 'putSignOverride',
        summary: 'Show a message on a sign until it expires',
        params: SiteParams,
        body: SignOverrideBody,
        response,
      }),
    },
    async (request) => {
      const { siteId } = request.params;
      const holder = request.apiKeyHolder!;
      await ctx.requireSite(siteId);
      const body = request.body;
      if (body.expiresMs <= ctx.clock.nowMs()) {
        throw errors.CB_HTTP_BAD_REQUEST('body.expiresMs: is already in the past', { path: 'body.expiresMs' });
      }
      const lines: SignLine[] = body.lines.map((l) => ({
        label: l.label,
        arrow: ARROWS[l.arrow]!,
        mode: MODES[l.mode]!,
        count: l.count,
        text: l.text,
        colour: COLOURS[l.colour]!,
      }));
      request.log.info({ operator: holder.id, siteId, signId: body.signId }, 'sign override set');
      return ctx.store.putSignOverride(siteId, { ...body, lines }, ctx.clock.nowMs());
    },
  );

  app.delete<{ Params: Static<typeof SiteParams> & { signId: string } }>(
    '/v1/sites/:siteId/sign-overrides/:signId',
    {
      config,
      bodyLimit,
      schema: routeSchema({ tags, operationId: 'deleteSignOverride', summary: 'Remove a sign override', response }),
    },
    async (request) => {
      const { siteId, signId } = request.params;
      await ctx.requireSite(siteId);
      return ctx.store.removeSignOverride(siteId, signId, ctx.clock.nowMs());
    },
  );
}
