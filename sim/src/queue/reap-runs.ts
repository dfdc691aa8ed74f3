import { RUN_QUEUE } from './sweep-tables.js';
import type { SimQueue } from './sim-queue.js';
import { LIVENESS_APPLICATION } from './worker-liveness.js';

/** PostgreSQL cuts `application_name` to 63 bytes; worker ids are ASCII, so 63 characters. */
const APPLICATION_NAME_MAX = 63;
/** A run taken this recently may belong to a worker whose liveness connection is still being made. */
const TAKEN_GRACE_S = 2;

/**
 * Hands back to the queue the runs of workers that have no liveness session any more (see `WorkerLiveness`): their
 * rows go back to `queued` and their pg-boss jobs are failed, for pg-boss to retry (each costs one of the run's
 * retries). Returns the runs handed back.
 */
export async function reapVanishedRuns(queue: SimQueue): Promise<{ sweepId: string; index: number; worker: string }[]> {
  const rows = await queue.sql<{ job_id: string; worker: string; sweep_id: string; run_index: number }>(
    `UPDATE ${queue.schema}.sweep_run r SET state = 'queued'
     FROM ${queue.schema}.sweep s
     WHERE s.id = r.sweep_id AND s.state = 'running' AND r.state = 'running'
       AND r.started_at < now() - make_interval(secs => $1)
       AND NOT EXISTS (
         SELECT 1 FROM pg_stat_activity a WHERE a.application_name = left($2 || ' ' || r.worker, $3)
       )
     RETURNING r.job_id, r.worker, r.sweep_id, r.run_index`,
    [TAKEN_GRACE_S, LIVENESS_APPLICATION, APPLICATION_NAME_MAX],
  );
  for (const row of rows) {
    await queue.boss.fail(RUN_QUEUE, row.job_id, { message: `worker ${row.worker} vanished (its session ended)` });
  }
  return rows.map((row) => ({ sweepId: row.sweep_id, index: row.run_index, worker: row.worker }));
}
