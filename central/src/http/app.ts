import { readFileSync } from 'node:fs';
import { type Clock, systemClock } from '@citybay/common';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { Type } from '@sinclair/typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { CentralConfig } from '../config.js';
import { errors } from '../errors.js';
import { ApiKeyring } from '../io/api-keys.js';
import { loadAllocationOptions } from '../io/allocation-options-file.js';
import { createDayPlanner, type DayPlanner } from '../io/day-planner.js';
import type { CentralStore } from '../store/store.js';
import { registerAppointmentRoutes } from './appointment-routes.js';
import { installAuth, rateLimitKeyOf, SECURITY_SCHEMES } from './auth.js';
import { type CentralContext, createContext } from './context.js';
import { registerDashboardRoutes } from './dashboard-routes.js';
import { registerDirectiveRoutes } from './directive-routes.js';
import { registerDriverRoutes } from './driver-routes.js';
import { CONNECTIONS_CHECKING_INTERVAL_MS, limitConnectionsPerAddress } from './connection-limits.js';
import { toErrorReply } from './error-reply.js';
import { registerExportRoutes } from './export-routes.js';
import { createMetrics } from './metrics.js';
import { registerReadRoutes } from './read-routes.js';
import { registerScenarioRoutes } from './scenario-routes.js';
import {
  errorReply,
  json,
  media,
  RATE_LIMIT_EXEMPT,
  toJsonSchema2020,
  withNamedComponents,
  withRequestDefaultsOptional,
} from './response-schemas.js';
import { routeSchema } from './route-schema.js';
import { registerSyncRoute } from './sync-route.js';

export interface CentralAppOptions {
  store: CentralStore;
  config: CentralConfig;
  /** Root pino logger; requests log through children carrying the request id. */
  logger: Logger;
  /** Default: the system clock. */
  clock?: Clock;
  /** The calendar appointments are planned and reservations held on. Default `clock`. */
  calendarClock?: Clock;
  /** API keys for hospital, engineer and operator APIs. Default: none (those APIs refuse everyone). */
  keyring?: ApiKeyring;
  /**
   * Plans appointment days; whoever creates it closes it. Default: one of the app's own, closed with the app.
   * `main.ts` passes its own so the periodic re-optimisation shares its queues.
   */
  planner?: DayPlanner;
  /** Registers more routes (appointments, scenarios) with the same context. */
  plugins?: Array<(app: FastifyInstance, ctx: CentralContext) => void | Promise<void>>;
}

export const CENTRAL_VERSION = '0.1.0';

const HealthSchema = Type.Object(
  {
    status: Type.Literal('ok'),
    store: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]),
    version: Type.String(),
  },
  { title: 'Health' },
);

/**
 * Builds the central HTTP service without listening: tests use `app.inject`, `main.ts` calls `listen`.
 * Serves HTTPS when the config names a certificate and key.
 */
export async function buildCentralApp(options: CentralAppOptions): Promise<FastifyInstance> {
  const { store, config, logger } = options;
  const clock = options.clock ?? systemClock;
  const calendarClock = options.calendarClock ?? clock;
  const https =
    config.tlsCertPath && config.tlsKeyPath
      ? { cert: readFileSync(config.tlsCertPath), key: readFileSync(config.tlsKeyPath) }
      : null;
  // Node checks request deadlines every connectionsCheckingInterval (30 s unless told): every second here, so a
  // half-sent body is closed close to requestTimeoutMs.
  const serverOptions = {
    requestTimeout: config.requestTimeoutMs,
    headersTimeout: config.requestTimeoutMs,
    connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS,
  };
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: config.bodyLimitBytes,
    requestIdHeader: 'x-request-id',
    return503OnClosing: false,
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.connectionTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    ...(https ? { https: { ...serverOptions, ...https } } : { http: serverOptions }),
  }) as unknown as FastifyInstance;
  app.server.maxConnections = config.maxConnections;
  limitConnectionsPerAddress(app.server, config.maxConnectionsPerAddress);
  const metrics = createMetrics();
  const planner =
    options.planner ??
    createDayPlanner({
      store,
      clock: calendarClock,
      daysKept: config.allocatorDaysKept,
      allocationOptions: loadAllocationOptions(config.allocationOptionsPath),
    });
  const ctx = createContext(store, config, clock, options.keyring ?? new ApiKeyring(), metrics, planner, calendarClock);
  if (!options.planner) {
    app.addHook('onClose', async () => {
      await planner.close();
    });
  }

  // Before any route: every route registered from here on gets the hook of the access it declares.
  app.decorate('routeAccess', installAuth(app, ctx));

  let isClosing = false;
  app.addHook('preClose', async () => {
    isClosing = true;
  });
  app.addHook('onRequest', async (_request, reply) => {
    if (isClosing) {
      reply.header('connection', 'close');
      throw errors.CB_HTTP_SHUTTING_DOWN('central is shutting down; retry shortly');
    }
  });
  app.addHook('onResponse', async (request, reply) => {
    metrics.httpDuration
      .labels(request.method, request.routeOptions.url ?? 'unmatched', String(reply.statusCode))
      .observe(reply.elapsedTime / 1000);
  });

  app.setErrorHandler((err, request, reply) => {
    const body = toErrorReply(err);
    if (body.statusCode >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ code: body.code, path: body.path }, body.message);
    if (request.routeOptions.url === '/v1/sync') metrics.syncRejected.labels(body.code).inc();
    return reply.status(body.statusCode).type('application/json').send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const error = errors.CB_HTTP_NOT_FOUND(`no route ${request.method} ${request.url.split('?')[0]}`);
    return reply.status(404).send(toErrorReply(error));
  });

  await app.register(swagger, {
    openapi: {
      // 3.1: its schemas are JSON Schema (2020-12), so the route schemas are published as fastify uses them.
      openapi: '3.1.0',
      info: {
        title: 'citybay central',
        version: CENTRAL_VERSION,
        description:
          'Edge sync (protobuf), live parking state, history, DATEX II and GeoJSON exports, operator directives.',
      },
      components: {
        securitySchemes: SECURITY_SCHEMES,
      },
    },
    transformObject: (doc) =>
      'openapiObject' in doc
        ? withNamedComponents(withRequestDefaultsOptional(toJsonSchema2020(doc.openapiObject)))
        : doc.swaggerObject,
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    // swagger-ui's own CSP asks for upgrade-insecure-requests too: /docs over plain http on the LAN needs it gone.
    transformStaticCSP: (header) => header.replace(/\s*upgrade-insecure-requests;?/g, ''),
  });
  await app.register(helmet, (instance) => ({
    contentSecurityPolicy: {
      directives: {
        // helmet's default would make browsers fetch every script and style sheet over https, which breaks the
        // dashboard and /docs opened over plain http on the LAN (http://<host>:8080/dashboard/). Central serves
        // HTTPS itself when configured; then everything is https anyway.
        upgradeInsecureRequests: null,
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        scriptSrc: [
          "'self'",
          ...((instance as unknown as { swaggerCSP?: { script: string[] } }).swaggerCSP?.script ?? []),
        ],
        styleSrc: [
          "'self'",
          ...((instance as unknown as { swaggerCSP?: { style: string[] } }).swaggerCSP?.style ?? []),
        ],
      },
    },
  }));
  await app.register(rateLimit, {
    global: true,
    max: config.rateLimitPerMin,
    timeWindow: 60_000,
    allowList: (request) => RATE_LIMIT_EXEMPT.has(request.url),
    // Runs after each route's auth hook (auth.ts puts it first): edges share NAT addresses, so verified edges and
    // keys are counted by identity; everyone else by address.
    keyGenerator: rateLimitKeyOf,
    errorResponseBuilder: (_request, context) =>
      errors.CB_HTTP_RATE_LIMITED(`more than ${context.max} requests per minute; retry in ${context.after}`),
  });

  app.get(
    '/healthz',
    {
      schema: routeSchema({
        tags: ['ops'],
        operationId: 'getHealth',
        summary: 'Liveness and database reachability',
        response: {
          200: json('Central and its store answer', HealthSchema),
          503: errorReply(503, 'CB_STORE_UNAVAILABLE (the store does not answer) or CB_HTTP_SHUTTING_DOWN'),
        },
      }),
    },
    async (_request, reply) => {
      const isDbUp = await store.ping();
      if (!isDbUp) throw errors.CB_STORE_UNAVAILABLE(`${store.kind} store does not answer`);
      return reply.send({ status: 'ok', store: store.kind, version: CENTRAL_VERSION });
    },
  );
  app.get(
    '/metrics',
    {
      schema: routeSchema({
        tags: ['ops'],
        operationId: 'getMetrics',
        summary: 'Prometheus metrics',
        response: {
          200: media('Prometheus text exposition format 0.0.4', 'text/plain', Type.String()),
        },
      }),
    },
    async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );

  // Each route module in its own encapsulated scope: its content-type parsers, error handlers and hooks stay in it.
  for (const register of [
    registerSyncRoute,
    registerReadRoutes,
    registerExportRoutes,
    registerDirectiveRoutes,
    registerAppointmentRoutes,
    registerDriverRoutes,
    registerScenarioRoutes,
    registerDashboardRoutes,
  ]) {
    await app.register(async (scope) => register(scope, ctx));
  }
  for (const plugin of options.plugins ?? []) await plugin(app, ctx);
  return app;
}
