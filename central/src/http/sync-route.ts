import { decodeSyncRequest, encodeSyncResponse } from '@citybay/proto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { checkRequestAgainstSite } from '../core/site-check.js';
import { errors } from '../errors.js';
import { matchesAnyHash, parseBasicAuth } from '../io/credentials.js';
import type { EdgeRecord } from '../store/store.js';
import type { CentralContext } from './context.js';
import { routeSchema } from './route-schema.js';

export const PROTOBUF_TYPE = 'application/x-protobuf';

declare module 'fastify' {
  interface FastifyRequest {
    edge?: EdgeRecord;
  }
}

async function authenticateEdge(ctx: CentralContext, request: FastifyRequest): Promise<EdgeRecord> {
  const credentials = parseBasicAuth(request.headers.authorization);
  if (!credentials) throw errors.CB_SYNC_UNAUTHORIZED('HTTP Basic credentials (edge id and secret) are required');
  const { user: edgeId, password: secret } = credentials;
  const load = () => ctx.store.getEdge(edgeId);
  let edge = await ctx.edges.get(edgeId, load);
  // A secret rotated moments ago may not be in the cached record yet: look once more before refusing.
  if (edge && !matchesAnyHash(secret, edge.secretHashes) && ctx.edges.ageMs(edgeId) > 0) {
    edge = await ctx.edges.get(edgeId, load, 0);
  }
  if (!edge || !matchesAnyHash(secret, edge.secretHashes)) {
    throw errors.CB_SYNC_UNAUTHORIZED('unknown edge or bad secret');
  }
  return edge;
}

/** `POST /v1/sync`: the edge protocol (protobuf in, protobuf out, JSON errors). */
export function registerSyncRoute(app: FastifyInstance, ctx: CentralContext): void {
  app.addContentTypeParser(PROTOBUF_TYPE, { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.post(
    '/v1/sync',
    {
      schema: routeSchema({
        tags: ['sync'],
        summary: 'Edge sync: a protobuf SyncRequest in, a protobuf SyncResponse out (see proto/citybay/v1/sync.proto)',
        security: [{ edgeBasic: [] }],
      }),
      // Browser security headers mean nothing to an edge's protobuf client; skipping them is measurable here.
      helmet: false,
      // Credentials and content type are checked before the body is read, so abuse costs little.
      onRequest: async (request) => {
        request.edge = await authenticateEdge(ctx, request);
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
