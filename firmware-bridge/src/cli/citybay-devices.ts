#!/usr/bin/env node
/**
 * Runs device emulators standalone so that independent tools (mbpoll, a real gateway, the demo)
 * can be pointed at them:
 *
 *   citybay-devices --profile bit-per-bay-64 --units 1-32 --tcp 5020
 *   citybay-devices --profile gate-counter --units 1 --pty /tmp/counter --baud 19200 --paced
 *
 *   citybay-devices --text-sign --pty /tmp/vms1 --lines 2 --chars 16
 *   citybay-devices --text-sign --pty /tmp/vms1 --profile text-sign-3x16
 *
 * With `--pty PATH`, a socat pty pair is created: PATH for the master, PATH-emulator for us.
 * `--text-sign` runs a virtual NTCIP MULTI text sign instead of a Modbus slave and prints what it
 * is told to show.
 * `--random-bays SECONDS` flips a random bay every so often, for demos; `--offline 7,19` makes
 * units that never answer.
 */
import { parseArgs } from 'node:util';
import { isCitybayError } from '@citybay/common';
import { serveRtu } from '../emulators/emulator-rtu.js';
import { serveTcp } from '../emulators/emulator-tcp.js';
import { ModbusEmulator } from '../emulators/modbus-emulator.js';
import { createPtyPair } from '../emulators/pty-pair.js';
import { parseUnits } from '../emulators/unit-list.js';
import { serveVirtualTextSign } from '../emulators/virtual-text-sign.js';
import { builtinProfileNames, loadProfile } from '../profiles/load-profile.js';
import { profileJsonSchema } from '../profiles/profile-json-schema.js';
import { type MultiTextSignConfig, textSignConfig } from '../signs/multi-text-sign.js';

const USAGE = `usage: citybay-devices --profile <name|file> [--units 1-32] (--tcp <port> | --pty <path>) [options]
       citybay-devices --text-sign --pty <path> [--lines 2] [--chars 16 | --profile <text-sign profile>]
  --profile      shipped profile name (${builtinProfileNames().join(', ')}) or a JSON/YAML file
  --units        unit ids: "1-32", "1,2,5" (default 1)
  --tcp <port>   serve Modbus TCP on this port (--host, default 127.0.0.1)
  --pty <path>   serve Modbus RTU on a socat pty pair; point the master at <path>
  --baud <bps>   line speed for --paced (default 19200)
  --paced        delay each RTU reply by its real wire time at --baud
  --offline <units>  units that never answer (as if unplugged), e.g. "7,19"
  --random-bays <s>  flip a random bay every <s> seconds (default off)
  --text-sign    a virtual MULTI text sign (framed serial protocol) on --pty; --lines, --chars size it,
                 or --profile names a text-sign profile (size, fonts, arrow glyphs)
  --profile-schema   print the JSON Schema of device profiles`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      profile: { type: 'string' },
      units: { type: 'string', default: '1' },
      tcp: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      pty: { type: 'string' },
      baud: { type: 'string', default: '19200' },
      paced: { type: 'boolean', default: false },
      'random-bays': { type: 'string' },
      offline: { type: 'string' },
      'text-sign': { type: 'boolean', default: false },
      lines: { type: 'string', default: '2' },
      chars: { type: 'string', default: '16' },
      help: { type: 'boolean', default: false },
      'profile-schema': { type: 'boolean', default: false },
    },
  });
  if (values['profile-schema']) {
    console.log(JSON.stringify(profileJsonSchema(), null, 2));
    return;
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values['text-sign'] && values.pty !== undefined) {
    const sign =
      values.profile === undefined
        ? { lines: Number(values.lines), charsPerLine: Number(values.chars) }
        : textSignConfig(await loadProfile(values.profile));
    await runTextSign(values.pty, sign);
    return;
  }
  if (values.profile === undefined || (values.tcp === undefined && values.pty === undefined)) {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  const profile = await loadProfile(values.profile);
  const unitIds = parseUnits(values.units);
  const emulator = new ModbusEmulator({ profile, unitIds });
  for (const unit of values.offline === undefined ? [] : parseUnits(values.offline)) {
    emulator.injectFault(unit, { kind: 'offline' });
  }
  const closers: (() => Promise<void>)[] = [() => emulator.close()];
  if (values.tcp !== undefined) {
    const server = await serveTcp(emulator, { port: Number(values.tcp), host: values.host });
    console.log(`citybay-devices: ${profile.name} units ${values.units} on Modbus TCP ${server.host}:${server.port}`);
  }
  if (values.pty !== undefined) {
    const pair = await createPtyPair(values.pty, `${values.pty}-emulator`);
    closers.push(() => pair.close());
    const baudRate = Number(values.baud);
    await serveRtu(emulator, { path: pair.pathB, baudRate, isPaced: values.paced });
    console.log(
      `citybay-devices: ${profile.name} units ${values.units} on Modbus RTU ${values.pty}${values.paced ? ` (paced at ${baudRate} baud)` : ''}`,
    );
  }
  const randomSeconds = values['random-bays'] === undefined ? 0 : Number(values['random-bays']);
  if (randomSeconds > 0 && profile.bayCount > 0) {
    const timer = setInterval(() => {
      const unit = unitIds[Math.floor(Math.random() * unitIds.length)]!;
      emulator.setBay(unit, Math.floor(Math.random() * profile.bayCount), Math.random() < 0.5);
    }, randomSeconds * 1000);
    closers.push(async () => clearInterval(timer));
  }
  const shutdown = async () => {
    for (const close of closers.reverse()) await close().catch(() => {});
    process.exit(0);
  };
  onStopSignal(shutdown);
}

async function runTextSign(path: string, config: MultiTextSignConfig): Promise<void> {
  const pair = await createPtyPair(path, `${path}-emulator`);
  const sign = await serveVirtualTextSign({ path: pair.pathB, sign: config });
  console.log(`citybay-devices: virtual MULTI text sign (${config.lines} x ${config.charsPerLine}) on ${path}`);
  let shownSeen = 0;
  let refusedSeen = 0;
  const timer = setInterval(() => {
    for (const entry of sign.shown.slice(shownSeen)) {
      console.log(`shown: ${entry.multi === '' ? '(blank)' : entry.multi}`);
      for (const row of entry.rows) console.log(`  |${row}|`);
    }
    for (const entry of sign.refused.slice(refusedSeen))
      console.log(`refused: ${entry.multi} (${entry.error} at ${entry.position})`);
    shownSeen = sign.shown.length;
    refusedSeen = sign.refused.length;
  }, 100);
  const shutdown = async () => {
    clearInterval(timer);
    await sign.close();
    await pair.close();
    process.exit(0);
  };
  onStopSignal(shutdown);
}

/** Runs `shutdown` on the first SIGINT or SIGTERM; a shutdown that fails is reported and exits with 1. */
function onStopSignal(shutdown: () => Promise<void>): void {
  const stop = () => {
    shutdown().catch((err: unknown) => {
      console.error(`citybay-devices: shutdown failed: ${(err as Error).message}`);
      process.exit(1);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`citybay-devices: ${isCitybayError(err) ? `${err.code}: ` : ''}${(err as Error).message}`);
  process.exit(1);
});
