import { CitybayError } from '@citybay/common';
import { type Appointment, parseAppointments } from '@citybay/sim';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import {
  type AppointmentAnswer,
  allocatorLotsOf,
  answerOf,
  dayStartOf,
  diffAppointments,
  reservationsOf,
} from '../core/appointment-day.js';
import type { SiteDefinition } from '../core/site-definition.js';
import { errors } from '../errors.js';
import { type AllocatorPool, createAllocatorPool } from '../io/allocator-pool.js';
import type { CentralContext } from './context.js';
import { apiKeyOf, requireApiKey } from './directive-routes.js';
import { routeSchema } from './route-schema.js';

/** Attempts when another central instance changes the same day at the same time. */
const SAVE_ATTEMPTS = 3;

const SiteQuery = Type.Object({ siteId: Type.Optional(Type.String({ maxLength: 64 })) });
const DayQuery = Type.Object({ date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }) });

/**
 * Hospital API: appointments in (FHIR R4 `Appointment`, a `Bundle` of them, or the plain JSON form), each
 * one's lot, zone, bay kind, arrival window and route out. Changes re-optimise through the allocator's
 * online events on a worker thread; placed cars become reservation directives for the site's edges.
 */
export function registerAppointmentRoutes(app: FastifyInstance, ctx: CentralContext): void {
  let pool: AllocatorPool | undefined;
  app.addHook('onClose', async () => {
    await pool?.destroy();
  });
  // One change at a time per site-day in this instance; other instances are held off by the day's version.
  const queues = new Map<string, Promise<unknown>>();
  const serialised = <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const previous = queues.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    queues.set(key, settled);
    void settled.then(() => {
      if (queues.get(key) === settled) queues.delete(key);
    });
    return next;
  };

  async function planDay(site: SiteDefinition, dayStartMs: number, incoming: Appointment[]): Promise<AppointmentAnswer[]> {
    pool ??= createAllocatorPool();
    const key = `${site.id}/${dayStartMs}`;
    for (let attempt = 1; ; attempt++) {
      const stored = await ctx.store.getAppointmentDay(site.id, dayStartMs);
      const nowMs = ctx.clock.nowMs();
      const diff = diffAppointments(stored?.appointments ?? [], incoming, nowMs);
      if (stored && diff.changedIds.length === 0) {
        return incoming.map((a) => answerOf(a, stored.assignments.find((x) => x.appointmentId === a.id)));
      }
      const version = (stored?.version ?? 0) + 1;
      const result = await pool.allocateDay({
        key,
        version,
        day: { dayStartMs, appointments: diff.merged, lots: allocatorLotsOf(site) },
        events: diff.events,
        isReplan: diff.needsReplan || !stored,
      });
      if (result.error) {
        const { code, message, statusCode, path } = result.error;
        throw new CitybayError(code, message, { statusCode, ...(path ? { path } : {}) });
      }
      try {
        await ctx.store.saveAppointmentDay(
          { siteId: site.id, dayStartMs, version, appointments: diff.merged, assignments: result.assignments },
          nowMs,
        );
      } catch (err) {
        if (err instanceof CitybayError && err.code === 'CB_APPOINTMENTS_CONFLICT' && attempt < SAVE_ATTEMPTS) continue;
        throw err;
      }
      const { upsert, removeIds } = reservationsOf(
        result.assignments,
        diff.merged.map((a) => a.id),
      );
      await ctx.store.updateReservations(site.id, upsert, removeIds, nowMs);
      return incoming.map((a) => answerOf(a, result.assignments.find((x) => x.appointmentId === a.id)));
    }
  }

  app.post<{ Querystring: Static<typeof SiteQuery> }>(
    '/v1/appointments',
    {
      schema: routeSchema({
        tags: ['hospital'],
        security: [{ apiKey: [] }],
        summary:
          'Appointments (FHIR R4 Appointment or Bundle, or plain JSON) in; assigned lot, zone, bay kind, arrival window and route out',
        querystring: SiteQuery,
      }),
    },
    async (request) => {
      const holder = requireApiKey(ctx, request, 'hospital');
      const siteId = request.query.siteId ?? (holder.sites?.length === 1 ? holder.sites[0] : undefined);
      if (!siteId) {
        throw errors.CB_HTTP_BAD_REQUEST('querystring.siteId: which site are these appointments for?', {
          path: 'querystring.siteId',
        });
      }
      requireApiKey(ctx, request, 'hospital', siteId);
      const site = await ctx.requireSite(siteId);
      if (request.body === undefined || request.body === null) {
        throw errors.CB_HTTP_BAD_REQUEST('body: expected appointments as JSON', { path: 'body' });
      }
      const appointments = parseAppointments(JSON.stringify(request.body), 'request body');
      const byDay = new Map<number, Appointment[]>();
      for (const a of appointments) {
        const day = dayStartOf(a.startMs, site.utcOffsetMin ?? 0);
        byDay.set(day, [...(byDay.get(day) ?? []), a]);
      }
      const answers = new Map<string, AppointmentAnswer>();
      for (const [dayStartMs, list] of byDay) {
        const planned = await serialised(`${siteId}/${dayStartMs}`, () => planDay(site, dayStartMs, list));
        for (const answer of planned) answers.set(answer.appointmentId, answer);
      }
      request.log.info({ hospital: holder.id, siteId, appointments: appointments.length }, 'appointments planned');
      return { siteId, appointments: appointments.map((a) => answers.get(a.id)!) };
    },
  );

  app.get<{ Params: { siteId: string }; Querystring: Static<typeof DayQuery> }>(
    '/v1/sites/:siteId/appointments',
    {
      schema: routeSchema({
        tags: ['hospital'],
        security: [{ apiKey: [] }],
        summary: 'The appointments of one day (?date=YYYY-MM-DD, site local) and their assignments',
        querystring: DayQuery,
      }),
    },
    async (request) => {
      const { siteId } = request.params;
      // Operators see every site's day; a hospital system only its own sites'.
      if (!ctx.keyring.verify(apiKeyOf(request), 'operator')) requireApiKey(ctx, request, 'hospital', siteId);
      const site = await ctx.requireSite(siteId);
      const dayStartMs = Date.parse(`${request.query.date}T00:00:00Z`) - (site.utcOffsetMin ?? 0) * 60_000;
      const day = await ctx.store.getAppointmentDay(siteId, dayStartMs);
      return {
        siteId,
        date: request.query.date,
        version: day?.version ?? 0,
        appointments: (day?.appointments ?? []).map((a) =>
          answerOf(a, day?.assignments.find((x) => x.appointmentId === a.id)),
        ),
      };
    },
  );
}
