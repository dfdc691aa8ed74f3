import { decodeSyncRequest, encodeSyncResponse } from '@citybay/proto';
import type { FastifyInstance } from 'fastify';
import { checkRequestAgainstSite } from '../core/site-check.js';
import { errors } from '../errors.js';
import { EDGE } from './auth.js';
import type { CentralContext } from './context.js';
import { Type } from '@sinclair/typebox';
import { documentedBody, errorReply, media } from './response-schemas.js';
import { routeSchema } from './route-schema.js';

export const PROTOBUF_TYPE = 'application/x-protobuf';

/** `POST /v1/sync`: the edge protocol (protobuf in, protobuf out, JSON errors). */
export function registerSyncRoute(app: FastifyInstance, ctx: CentralContext): void {
  app.addContentTypeParser(PROTOBUF_TYPE, { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.post(
    '/v1/sync',
    {
      schema: routeSchema({
        tags: ['sync'],
        operationId: 'syncEdge',
        summary: 'Edge sync: a protobuf SyncRequest in, a protobuf SyncResponse out (see proto/citybay/v1/sync.proto)',
        response: {
          200: media(
            'A SyncResponse: the acknowledged seq, missing seqs and (when changed) the directives',
            PROTOBUF_TYPE,
            Type.String({ format: 'binary' }),
          ),
          400: errorReply(
            400,
            'CB_WIRE_INVALID (not a valid SyncRequest) or CB_SYNC_UNKNOWN_AREA (a lot or zone the site lacks)',
          ),
          401: errorReply(401, 'CB_SYNC_UNAUTHORIZED: missing credentials, unknown edge or bad secret'),
          403: errorReply(403, 'CB_SYNC_FORBIDDEN: the request names another edge or site than the credentials'),
          409: errorReply(409, 'CB_SYNC_SEQ_JUMP: a seq too far past the highest held (nothing stored)'),
          413: errorReply(413, 'CB_HTTP_TOO_LARGE or CB_WIRE_TOO_LARGE: the body is over the limit'),
          415: errorReply(415, `CB_HTTP_UNSUPPORTED_MEDIA_TYPE: the body is not ${PROTOBUF_TYPE}`),
        },
      }),
      // The edge's credentials are checked (auth.ts) before the content type and before the body is read.
      config: {
        access: EDGE,
        swaggerTransform: documentedBody(Type.String({ format: 'binary', description: 'a protobuf SyncRequest' }), [
          PROTOBUF_TYPE,
        ]),
      },
      // Browser security headers mean nothing to an edge's protobuf client; skipping them is measurable here.
      helmet: false,
      onRequest: async (request) => {
        const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        if (type !== PROTOBUF_TYPE) {
          throw errors.CB_HTTP_UNSUPPORTED_MEDIA_TYPE(
            `POST /v1/sync takes ${PROTOBUF_TYPE}, not "${type || 'nothing'}"`,
          );
        }
      },
    },
    async (request, reply) => {
      const edge = request.edge!;
      const body = request.body instanceof Buffer ? request.body : Buffer.alloc(0);
      const sync = decodeSyncRequest(body, { maxBytes: ctx.config.bodyLimitBytes });
      if (sync.edgeId !== edge.edgeId) {
        throw errors.CB_SYNC_FORBIDDEN(`signed in as edge "${edge.edgeId}" but the request is from "${sync.edgeId}"`, {
          path: 'edgeId',
        });
      }
      if (sync.siteId !== edge.siteId) {
        throw errors.CB_SYNC_FORBIDDEN(
          `edge "${edge.edgeId}" may write only site "${edge.siteId}", not "${sync.siteId}"`,
          {
            path: 'siteId',
          },
        );
      }
      const site = await ctx.requireIndexedSite(edge.siteId);
      checkRequestAgainstSite(sync, edge.siteId, site.index);
      const result = await ctx.store.ingest(sync, body, ctx.clock.nowMs());
      ctx.metrics.summariesStored.inc(result.stored);
      ctx.metrics.summariesDuplicate.inc(result.duplicates);
      // Once per gap, when it opens: a gap stays reported to the edge in missingSeqs until it is filled.
      for (const [from, to] of result.newGaps) {
        request.log.warn({ edgeId: edge.edgeId, from, to, missing: to - from + 1 }, 'edge has a gap in its seqs');
      }
      // A day's reservations make directives large: send them only to an edge that does not have this version.
      const directives =
        result.directives && result.directives.version !== sync.directivesVersion ? result.directives : undefined;
      const response = encodeSyncResponse({ ackedSeq: result.ackedSeq, directives, missingSeqs: result.missingSeqs });
      return reply.type(PROTOBUF_TYPE).send(Buffer.from(response.buffer, response.byteOffset, response.byteLength));
    },
  );
}
