import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { FastifyInstance } from 'fastify';
import { errors } from '../errors.js';
import type { CentralContext } from './context.js';
import { keyAccess } from './auth.js';
import { WhatIfListSchema } from './dashboard-schemas.js';
import { documentedBody, errorReply, json, noBody, titled } from './response-schemas.js';
import { routeSchema } from './route-schema.js';

/**
 * A scenario the what-if page offers: the scenario file and the files it names, exactly what
 * `POST /v1/scenarios` takes. The demo registers its district's scenario at start.
 */
export const ScenarioBundleSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$' }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    policies: Type.Array(Type.String({ maxLength: 100 }), { minItems: 1, maxItems: 32 }),
    scenario: Type.String({ maxLength: 1_000_000 }),
    files: Type.Record(Type.String({ maxLength: 200 }), Type.String()),
  },
  { additionalProperties: false },
);
export type ScenarioBundle = Static<typeof ScenarioBundleSchema>;

/** Most scenarios the what-if catalogue keeps (20): offering one more deletes the one offered longest ago. */
export const WHATIF_SCENARIOS_KEPT = 20;

/**
 * The what-if page's scenario catalogue: operators offer scenarios (`PUT /v1/dashboard/scenarios/:id`), engineers
 * list them and fetch one with its files. It lives in the store, so every instance sharing it offers the same
 * scenarios and a restart keeps them.
 */
export function registerWhatIfRoutes(app: FastifyInstance, ctx: CentralContext): void {
  app.put<{ Params: { id: string } }>(
    '/v1/dashboard/scenarios/:id',
    {
      config: { access: keyAccess(['operator']), swaggerTransform: documentedBody(ScenarioBundleSchema) },
      schema: routeSchema({
        tags: ['dashboard'],
        operationId: 'putWhatIfScenario',
        summary: 'Offer a scenario on the what-if page (operator key)',
        response: { 204: noBody('Stored (the oldest is dropped past the catalogue size)') },
      }),
    },
    async (request, reply) => {
      const first = Value.Errors(ScenarioBundleSchema, request.body).First();
      if (first !== undefined) {
        throw errors.CB_HTTP_BAD_REQUEST(`scenario bundle: ${first.path || '(root)'}: ${first.message}`, {
          path: first.path,
        });
      }
      const bundle = request.body as ScenarioBundle;
      if (bundle.id !== request.params.id) {
        throw errors.CB_HTTP_BAD_REQUEST(
          `scenario bundle: id: "${bundle.id}" differs from the URL's "${request.params.id}"`,
          { path: 'id' },
        );
      }
      await ctx.store.putWhatIfScenario(bundle, WHATIF_SCENARIOS_KEPT);
      return reply.status(204).send();
    },
  );

  app.get(
    '/v1/dashboard/scenarios',
    {
      config: { access: keyAccess(['engineer']) },
      schema: routeSchema({
        tags: ['dashboard'],
        operationId: 'listWhatIfScenarios',
        summary: 'Scenarios the what-if page offers (engineer key)',
        response: { 200: json('The catalogue', WhatIfListSchema) },
      }),
    },
    async () => {
      const scenarios = await ctx.store.listWhatIfScenarios();
      return {
        scenarios: scenarios.map(({ id, name, description, policies }) => ({ id, name, description, policies })),
      };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/dashboard/scenarios/:id',
    {
      config: { access: keyAccess(['engineer']) },
      schema: routeSchema({
        tags: ['dashboard'],
        operationId: 'getWhatIfScenario',
        summary: 'One what-if scenario with its files (engineer key)',
        response: {
          200: json(
            'The scenario and its files, as POST /v1/scenarios takes them',
            titled(ScenarioBundleSchema, 'WhatIfScenario'),
          ),
          404: errorReply(404, 'CB_HTTP_NOT_FOUND: no such what-if scenario'),
        },
      }),
    },
    async (request) => {
      const bundle = await ctx.store.getWhatIfScenario(request.params.id);
      if (bundle === undefined)
        throw errors.CB_HTTP_NOT_FOUND(`no what-if scenario "${request.params.id}"`, { path: 'id' });
      return bundle;
    },
  );
}
