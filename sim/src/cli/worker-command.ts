import { once } from 'node:events';
import { createSimPool } from '../pool/sim-pool.js';
import { parseThreadCount } from './cli-args.js';
import { runCommand } from './command.js';

const USAGE = `usage: citybay-sim worker --database-url postgres://… [--schema name] [--threads n] [--stop-timeout s]
                           [--maintenance-interval s] [--quiet]
Takes sweep runs from the queue in that PostgreSQL database (submitted by \`citybay-sim sweep --queue\` or central)
onto a pool of worker threads kept warm for the worker's life, and stores their results. Run as many as you like, on
any host that reaches the database. SIGTERM or SIGINT: takes no more runs, lets the runs under way finish for up to
--stop-timeout seconds (default 30), then hands the rest back to the queue for another worker, and exits 0.
--threads: runs at a time (default: available parallelism); --schema: the queue's schema (default citybay_sim_queue);
--maintenance-interval: how often (s, default 10) this worker's pg-boss requeues runs whose worker vanished (taken
  for longer than the sweep's --run-timeout); --quiet: no line per run.`;

export function runWorkerCommand(argv: string[]): Promise<number> {
  const options = {
    'database-url': { type: 'string' },
    schema: { type: 'string' },
    threads: { type: 'string' },
    'stop-timeout': { type: 'string' },
    'maintenance-interval': { type: 'string' },
    quiet: { type: 'boolean' },
  } as const;
  const spec = { usage: USAGE, options, required: ['database-url'], positional: 'optional' } as const;
  return runCommand(argv, spec, async (_positional, values) => {
    const threads = values.threads === undefined ? undefined : parseThreadCount(values.threads);
    const stopTimeoutS = values['stop-timeout'] === undefined ? 30 : Number(values['stop-timeout']);
    if (!(stopTimeoutS >= 0)) throw new Error(`--stop-timeout: "${values['stop-timeout']}" is not seconds ≥ 0`);
    const maintenance = values['maintenance-interval'];
    const maintenanceIntervalS = maintenance === undefined ? undefined : Number(maintenance);
    if (maintenanceIntervalS !== undefined && !(Number.isInteger(maintenanceIntervalS) && maintenanceIntervalS >= 1)) {
      throw new Error(`--maintenance-interval: "${maintenance}" is not whole seconds ≥ 1`);
    }
    const { QueueWorker, SimQueue } = await import('../queue/index.js');
    const log = (line: string) => console.error(`${new Date().toISOString()} ${line}`);
    const queue = await SimQueue.open({
      databaseUrl: values['database-url'],
      ...(values.schema === undefined ? {} : { schema: values.schema }),
      ...(maintenanceIntervalS === undefined ? {} : { maintenanceIntervalS }),
      onError: (err) => log(`queue: ${err.message}`),
    });
    const pool = createSimPool(threads === undefined ? {} : { maxThreads: threads });
    const worker = new QueueWorker({ queue, pool, ...(values.quiet === true ? {} : { log }) });
    worker.start();
    log(`worker ${worker.workerId}: taking runs on ${pool.threads} threads (schema ${queue.schema})`);
    const signal = await Promise.race([
      once(process, 'SIGTERM').then(() => 'SIGTERM'),
      once(process, 'SIGINT').then(() => 'SIGINT'),
    ]);
    log(`worker ${worker.workerId}: ${signal}: taking no more runs; finishing the runs under way`);
    const released = await worker.stop(stopTimeoutS * 1000);
    await pool.destroy();
    await queue.close();
    log(`worker ${worker.workerId}: stopped after ${worker.runsDone} runs; ${released} handed back to the queue`);
    return 0;
  });
}
