#!/usr/bin/env node
/**
 * `citybay-twin --layout twin.json` hosts the district's emulated devices and runs the simulated day live on them, in
 * a closed loop with the real edges (its drivers read the emulated signs and hold the reservations the edges hold).
 * Started by `npm start` (which sends `{ type: 'start' }` over IPC once the edges run); standalone it starts at once.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { parseTwinLayout } from '../district/twin-layout.js';
import { errors } from '../errors.js';
import { startTwin } from '../twin/run-twin.js';

const USAGE = `usage: citybay-twin --layout <twin.json> [options]
  --speed <x>            simulated seconds per real second (default 30)
  --from <HH:MM>         start of the live window (default 07:00); earlier events are applied at once
  --to <HH:MM>           end of the live window (default 11:00)
  --policy <name>        scenario policy to simulate (default combined)
  --compliance <share>   share of simulated drivers following the signs, 0-1 (default the scenario's)
  --fault-every <min>    unplug a bay controller every <min> simulated minutes, for 15 (default 45; 0 = never)
  --central <url>        central's base URL (reports, appointments)
  --operator-key-file    file with an operator API key (twin reports)
  --hospital-key-file    file with a hospital API key (appointments)
  --clock-file <file>    where to write the twin's clock (central and the edges read their calendar there)
  --result <file>        where to write the run's figures when the window ends (JSON)`;

function clockS(text: string, option: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (match === null) throw errors.CB_TWIN_INVALID(`--${option}: expected HH:MM, got "${text}"`, { path: option });
  return Number(match[1]) * 3600 + Number(match[2]) * 60;
}

const readKey = (path: string | undefined): string | undefined =>
  path === undefined ? undefined : readFileSync(path, 'utf8').trim();

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      layout: { type: 'string' },
      speed: { type: 'string', default: '30' },
      from: { type: 'string', default: '07:00' },
      to: { type: 'string', default: '11:00' },
      policy: { type: 'string', default: 'combined' },
      compliance: { type: 'string' },
      'clock-file': { type: 'string' },
      result: { type: 'string' },
      'fault-every': { type: 'string', default: '45' },
      central: { type: 'string' },
      'operator-key-file': { type: 'string' },
      'hospital-key-file': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || values.layout === undefined) {
    console.error(USAGE);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const speed = Number(values.speed);
  if (!(speed > 0))
    throw errors.CB_TWIN_INVALID(`--speed: expected a positive number, got "${values.speed}"`, { path: 'speed' });
  const faultEveryMin = Number(values['fault-every']);
  if (!(faultEveryMin >= 0)) {
    throw errors.CB_TWIN_INVALID(`--fault-every: expected minutes (0 = never), got "${values['fault-every']}"`, {
      path: 'fault-every',
    });
  }
  const compliance = values.compliance === undefined ? undefined : Number(values.compliance);
  if (compliance !== undefined && !(compliance >= 0 && compliance <= 1)) {
    throw errors.CB_TWIN_INVALID(`--compliance: expected a share 0-1, got "${values.compliance}"`, {
      path: 'compliance',
    });
  }
  const layout = parseTwinLayout(readFileSync(values.layout, 'utf8'), values.layout);
  const logger = pino({ name: 'twin' });
  const operatorKey = readKey(values['operator-key-file']);
  const hospitalKey = readKey(values['hospital-key-file']);
  const twin = await startTwin({
    layout,
    logger,
    speed,
    fromS: clockS(values.from, 'from'),
    toS: clockS(values.to, 'to'),
    policyName: values.policy,
    faultEveryS: faultEveryMin * 60,
    ...(compliance === undefined ? {} : { signCompliance: compliance }),
    ...(values['clock-file'] === undefined ? {} : { clockFile: values['clock-file'] }),
    ...(values.result === undefined ? {} : { resultFile: values.result }),
    ...(values.central === undefined ? {} : { centralUrl: values.central }),
    ...(operatorKey === undefined ? {} : { operatorKey }),
    ...(hospitalKey === undefined ? {} : { hospitalKey }),
  });
  logger.info({ emulators: layout.emulators.length }, 'twin ready');
  if (process.send === undefined) twin.start();
  else {
    process.on('message', (message: { type?: string }) => {
      if (message.type === 'start') twin.start();
    });
  }
  let isStopping = false;
  const stop = (signal: string) => {
    if (isStopping) return;
    isStopping = true;
    logger.info({ signal }, 'stopping');
    twin.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  // Started by `npm start`: when the orchestrator is gone, so is the reason to run.
  process.once('disconnect', () => stop('orchestrator gone'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? `${(err as { code?: string }).code ?? 'error'}: ${err.message}` : err);
  process.exitCode = 1;
});
