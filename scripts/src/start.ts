#!/usr/bin/env node
/**
 * `npm start`: the hospital district on emulated devices — central, the twin (simulator + Modbus emulators), one
 * edge per site — with a live dashboard. Ctrl-C stops everything; a second start resumes; `--fresh` starts over.
 */
import { parseArgs } from 'node:util';
import { isCitybayError } from '@citybay/common';
import { currentRunMode } from './stack/package-commands.js';
import { type RunningStack, startStack } from './stack/start-stack.js';

const USAGE = `usage: npm start -- [options]
  --port <n>        central and dashboard port (default 8080; 0 = any free port)
  --data <dir>      data directory (default ./data)
  --fresh           delete the data directory first (new database, new credentials)
  --speed <x>       simulated seconds per real second (default 30)
  --from <HH:MM>    start of the simulated window (default 07:00)
  --to <HH:MM>      end of the simulated window (default 11:00)
  --district <file> the district's field and scenario (default scripts/district/hospital-district.yaml;
                    scripts/district/hospital-district-capacity-short.yaml runs issue 17's capacity-short day,
                    with --policy pre-assigned-shifts-signs)
  --policy <name>   scenario policy the twin simulates (default combined)
  --compliance <x>  share of simulated drivers who follow the signs, 0-1 (default the scenario's 0.75)
  --fault-every <m> unplug a bay controller every <m> simulated minutes for 15 (default 45; 0 = never)
  --no-rtu          Modbus TCP only, even when socat is installed
  --verbose         central and edges log at info level`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8080' },
      data: { type: 'string', default: 'data' },
      fresh: { type: 'boolean', default: false },
      speed: { type: 'string', default: '30' },
      from: { type: 'string', default: '07:00' },
      to: { type: 'string', default: '11:00' },
      district: { type: 'string' },
      policy: { type: 'string', default: 'combined' },
      compliance: { type: 'string' },
      'fault-every': { type: 'string', default: '45' },
      'no-rtu': { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port: expected a port number 0-65535, got "${values.port}"\n${USAGE}`);
    return 2;
  }
  const faultEveryMin = Number(values['fault-every']);
  if (!(faultEveryMin >= 0)) {
    console.error(`--fault-every: expected simulated minutes (0 = never), got "${values['fault-every']}"\n${USAGE}`);
    return 2;
  }
  const compliance = values.compliance === undefined ? undefined : Number(values.compliance);
  if (compliance !== undefined && !(compliance >= 0 && compliance <= 1)) {
    console.error(`--compliance: expected a share 0-1, got "${values.compliance}"\n${USAGE}`);
    return 2;
  }
  const log = (line: string) => console.log(`[start] ${line}`);
  const running: { stack?: RunningStack } = {};
  let isStopping = false;
  const shutdown = async (why: string, code: number) => {
    if (isStopping) return;
    isStopping = true;
    log(`${why}: stopping every process…`);
    await running.stack?.stop();
    log('stopped cleanly');
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown('Ctrl-C', 0));
  process.once('SIGTERM', () => void shutdown('SIGTERM', 0));

  log(
    `starting ${values.district ?? 'the hospital district'} (${values.fresh ? 'fresh' : `resuming from ${values.data}/ if it exists`})…`,
  );
  const stack = await startStack({
    dataDir: values.data,
    isFresh: values.fresh,
    port,
    speed: Number(values.speed),
    from: values.from,
    to: values.to,
    policy: values.policy,
    ...(values.district === undefined ? {} : { districtFile: values.district }),
    ...(compliance === undefined ? {} : { signCompliance: compliance }),
    faultEveryMin,
    mode: currentRunMode(),
    useRtu: !values['no-rtu'],
    isVerbose: values.verbose,
    output: (line) => console.log(line),
    log,
  });
  running.stack = stack;
  const bar = '='.repeat(72);
  console.log(`\n${bar}
  citybay is running: ${stack.district.sites.length} sites, ${stack.district.totalBays} emulated bays, ${stack.district.sites.length} edges.
  The twin runs closed-loop: its drivers read the signs the edges write and hold the reservations they receive.

  Dashboard:  ${stack.dashboardUrl}
  What-if:    ${stack.dashboardUrl}whatif.html#key=${stack.keys.engineer}
  API docs:   ${stack.centralUrl}/docs

  API keys are in ${values.data}/credentials/ (hospital.key, engineer.key, operator.key).
  Ctrl-C stops everything; \`npm start\` again resumes; \`npm start -- --fresh\` starts over.
${bar}\n`);
  const name = await stack.failed;
  await shutdown(`${name} exited unexpectedly`, 1);
  return 1;
}

main().then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (err: unknown) => {
    console.error(isCitybayError(err) ? `${err.code}: ${err.message}` : err);
    process.exit(1);
  },
);
