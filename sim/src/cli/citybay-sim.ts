#!/usr/bin/env node
import { runAllocateCommand } from './allocate-command.js';
import { runExportSumoCommand } from './export-sumo-command.js';
import { runRunCommand } from './run-command.js';
import { runSweepCommand } from './sweep-command.js';
import { runWorkerCommand } from './worker-command.js';

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  run: runRunCommand,
  sweep: runSweepCommand,
  'export-sumo': runExportSumoCommand,
  allocate: runAllocateCommand,
  worker: runWorkerCommand,
};

const USAGE = `usage: citybay-sim <command> [options]
commands:
  run <scenario.yaml> --out <dir>       run one policy, write results and an HTML report
  sweep <scenario.yaml> --out <dir>     run policies × seeds on a worker pool, write a comparison report
  export-sumo <scenario.yaml> --out <dir>  write SUMO routes and parking areas for a scenario
  allocate <appointments> --lots <lots.yaml> --out <plan.json>  pre-assign bays to appointments
  worker --database-url postgres://…     take sweep runs from a PostgreSQL queue (sweep --queue) until SIGTERM
Run "citybay-sim <command> --help" for a command's options.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name === undefined ? undefined : COMMANDS[name];
  if (command === undefined) {
    console.error(
      name === undefined || name === '--help' || name === '-h' ? USAGE : `unknown command "${name}"\n${USAGE}`,
    );
    return name === '--help' || name === '-h' ? 0 : 2;
  }
  return command(rest);
}

process.exitCode = await main(process.argv.slice(2));
