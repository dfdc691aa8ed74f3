import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { errors } from '../errors.js';
import { QueuedScenarioJobs } from '../io/queued-scenario-jobs.js';
import { createScenarioFilesPool } from '../io/scenario-files-pool.js';
import { type ScenarioJob, ScenarioJobs, type ScenarioRun } from '../io/scenario-jobs.js';
import type { CentralContext } from './context.js';
import { keyAccess } from './auth.js';
import { errorReply, json, media } from './response-schemas.js';
import { routeSchema } from './route-schema.js';
import {
  ScenarioJobListSchema,
  ScenarioJobSchema,
  ScenarioKpisListSchema,
  ScenarioSeriesListSchema,
} from './scenario-schemas.js';

/**
 * Longest scenario text (64 Ki characters): a real one is a few KB (its network, lots and appointments are sent
 * apart in `files`), and YAML of this size parses well within the 100 ms the event loop may be held.
 */
export const MAX_SCENARIO_CHARS = 64 * 1024;

/** Most runs (policies × seeds) one submission may ask for. */
export const MAX_RUNS_PER_JOB = 64;

const Submission = Type.Object(
  {
    /** The scenario file: YAML text or the parsed object. Its `network`, `lots` (and appointments file) name entries of `files`. */
    scenario: Type.Union([
      Type.String({ maxLength: MAX_SCENARIO_CHARS }),
      Type.Object({}, { additionalProperties: true }),
    ]),
    /**
     * The files the scenario names, by the name it uses: network (SUMO .net.xml or YAML/JSON), lots, appointments.
     * A name ending in `.gz` (`city.net.xml.gz`) is gzip data sent as base64.
     */
    files: Type.Record(Type.String({ maxLength: 200 }), Type.String()),
    /** A sweep: every policy × every seed. Default: the scenario's policy and seed. */
    sweep: Type.Optional(
      Type.Object(
        {
          policies: Type.Optional(Type.Array(Type.String(), { minItems: 1, maxItems: 16 })),
          seeds: Type.Optional(
            Type.Array(Type.Integer({ minimum: 0, maximum: 4_294_967_295 }), { minItems: 1, maxItems: 64 }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
const JobParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

function statusOf(job: ScenarioJob) {
  const base = `/v1/scenarios/${job.id}`;
  return {
    id: job.id,
    name: job.name,
    status: job.status,
    progress: { completedRuns: job.completedRuns, totalRuns: job.runs.length },
    runs: job.runs,
    submittedAt: new Date(job.submittedMs).toISOString(),
    ...(job.finishedMs ? { finishedAt: new Date(job.finishedMs).toISOString() } : {}),
    ...(job.error ? { error: job.error } : {}),
    links: { self: base, kpis: `${base}/kpis`, series: `${base}/series`, report: `${base}/report` },
  };
}

/** Engineer API: scenarios and sweeps on the simulator's worker pool; progress, KPIs, time series, HTML report. */
export function registerScenarioRoutes(app: FastifyInstance, ctx: CentralContext): void {
  const logger = app.log.child({ component: 'scenario-jobs' });
  // PostgreSQL deployments put jobs on sim's sweep queue (workers on any host); SQLite runs them in this process.
  const jobs =
    ctx.config.databaseUrl === undefined
      ? new ScenarioJobs({
          store: ctx.store,
          nowMs: () => ctx.clock.nowMs(),
          keepFinishedJobs: ctx.config.scenarioJobsKept,
          leaseMs: ctx.config.scenarioJobLeaseMs,
          logger,
        })
      : new QueuedScenarioJobs({
          databaseUrl: ctx.config.databaseUrl,
          schema: ctx.config.scenarioQueueSchema,
          workerThreads: ctx.config.scenarioWorkerThreads,
          keepFinishedJobs: ctx.config.scenarioJobsKept,
          logger,
        });
  // Submissions are parsed on a thread of their own: a city's network file holds the loop for a second or more.
  const scenarioFiles = createScenarioFilesPool();
  // Runs before whoever made the store closes it (after app.close()): unfinished jobs are marked failed there.
  app.addHook('onClose', async () => {
    await jobs.close();
    await scenarioFiles.destroy();
  });
  const tags = ['engineer'];
  const config = { access: keyAccess(['engineer']) };
  const noJob = { 404: errorReply(404, 'CB_SCENARIO_JOB_UNKNOWN: no such job (or no longer kept)') };
  // What the results of a job answer besides the results.
  const notFinished = {
    ...noJob,
    409: errorReply(409, 'CB_SCENARIO_JOB_NOT_READY: the job has not finished'),
    422: errorReply(422, 'CB_SCENARIO_JOB_FAILED: the job failed; its status says why'),
  };

  app.post<{ Body: Static<typeof Submission> }>(
    '/v1/scenarios',
    {
      config,
      schema: routeSchema({
        tags,
        operationId: 'submitScenario',
        summary: 'Run a scenario or a sweep (policies × seeds) on the simulator pool',
        body: Submission,
        response: {
          202: json('Accepted: the job, queued', ScenarioJobSchema),
          400: errorReply(
            400,
            'CB_HTTP_BAD_REQUEST, or the scenario or a file it names is invalid (CB_SCENARIO_INVALID, CB_NETWORK_INVALID, CB_LOTS_INVALID, …)',
          ),
        },
      }),
    },
    async (request, reply) => {
      const holder = request.apiKeyHolder!;
      const scenario = await scenarioFiles.resolve(request.body);
      const names = scenario.document.policies.map((p) => p.name);
      const policies = request.body.sweep?.policies ?? [scenario.document.policy ?? names[0]!];
      policies.forEach((name, i) => {
        if (!names.includes(name)) {
          throw errors.CB_HTTP_BAD_REQUEST(
            `body.sweep.policies[${i}]: unknown policy "${name}" (known: ${names.join(', ')})`,
            {
              path: `body.sweep.policies[${i}]`,
            },
          );
        }
      });
      const seeds = request.body.sweep?.seeds ?? [scenario.document.seed];
      const runs: ScenarioRun[] = policies.flatMap((policy) => seeds.map((seed) => ({ policy, seed })));
      if (runs.length > MAX_RUNS_PER_JOB) {
        throw errors.CB_HTTP_BAD_REQUEST(
          `body.sweep: ${runs.length} runs, at most ${MAX_RUNS_PER_JOB} per submission`,
          { path: 'body.sweep' },
        );
      }
      const job = await jobs.submit(scenario, runs);
      request.log.info({ engineer: holder.id, job: job.id, runs: runs.length }, 'scenario submitted');
      return reply.status(202).send(statusOf(job));
    },
  );

  const listSummary = 'Scenario jobs of every instance sharing the store, oldest first';
  app.get(
    '/v1/scenarios',
    {
      config,
      schema: routeSchema({
        tags,
        operationId: 'listScenarioJobs',
        summary: listSummary,
        response: { 200: json('The jobs', ScenarioJobListSchema) },
      }),
    },
    async () => {
      return { jobs: (await jobs.list()).map(statusOf) };
    },
  );

  app.get<{ Params: Static<typeof JobParams> }>(
    '/v1/scenarios/:id',
    {
      config,
      schema: routeSchema({
        tags,
        operationId: 'getScenarioJob',
        summary: 'Status and progress of a scenario job',
        params: JobParams,
        response: { 200: json('The job', ScenarioJobSchema), ...noJob },
      }),
    },
    async (request) => {
      return statusOf(await jobs.get(request.params.id));
    },
  );

  app.get<{ Params: Static<typeof JobParams> }>(
    '/v1/scenarios/:id/kpis',
    {
      config,
      schema: routeSchema({
        tags,
        operationId: 'getScenarioKpis',
        summary: 'KPIs of every run (queues, time to park, cruising, per lot)',
        params: JobParams,
        response: { 200: json('The KPIs of every finished run', ScenarioKpisListSchema), ...notFinished },
      }),
    },
    async (request) => {
      return { runs: await jobs.kpis(request.params.id) };
    },
  );

  app.get<{ Params: Static<typeof JobParams> }>(
    '/v1/scenarios/:id/series',
    {
      config,
      schema: routeSchema({
        tags,
        operationId: 'getScenarioSeries',
        summary: 'Time series of every run (queue, occupancy, gate queues)',
        params: JobParams,
        response: { 200: json('The time series of every finished run', ScenarioSeriesListSchema), ...notFinished },
      }),
    },
    async (request) => {
      const results = await jobs.results(request.params.id);
      return { runs: results.map((r) => ({ policy: r.policy, seed: r.seed, series: r.series })) };
    },
  );

  app.get<{ Params: Static<typeof JobParams> }>(
    '/v1/scenarios/:id/report',
    {
      config,
      schema: routeSchema({
        tags,
        operationId: 'getScenarioReport',
        summary: 'Self-contained HTML report comparing the runs',
        params: JobParams,
        response: {
          200: media('The report (inline CSS and SVG, no scripts)', 'text/html', Type.String()),
          ...notFinished,
        },
      }),
    },
    async (request, reply) => {
      const html = await jobs.report(request.params.id);
      // The report is one file with inline CSS and SVG and no scripts.
      return reply
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
        .type('text/html; charset=utf-8')
        .send(html);
    },
  );
}
