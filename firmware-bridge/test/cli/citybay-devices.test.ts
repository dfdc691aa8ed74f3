// The emulator CLI as an independent tool would use it: start it, read it with our TCP link, stop it.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTcpLink } from '../../src/modbus/modbus-link-tcp.js';
import { createMultiTextSign } from '../../src/signs/multi-text-sign.js';

const CLI = fileURLToPath(new URL('../../src/cli/citybay-devices.ts', import.meta.url));
let child: ChildProcess | undefined;

function start(args: string[]): Promise<{ child: ChildProcess; firstLine: string }> {
  const proc = spawn(process.execPath, ['--conditions=@citybay/source', '--import', 'tsx', CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    proc.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve({ child: proc, firstLine: out.split('\n')[0]! });
    });
    proc.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    proc.once('exit', (code) => reject(Object.assign(new Error(`exited ${code}: ${err}`), { code, stderr: err })));
  });
}

afterEach(() => {
  child?.kill('SIGTERM');
  child = undefined;
});

describe('citybay-devices', () => {
  it('serves a profile on Modbus TCP for units 1-3', async () => {
    const { firstLine } = await start(['--profile', 'bit-per-bay-64', '--units', '1-3', '--tcp', '0']);
    const port = Number(firstLine.match(/:(\d+)$/)![1]);
    const link = createTcpLink({ host: '127.0.0.1', port, timeoutMs: 1000 });
    await link.open();
    expect(await link.readDiscreteInputs(3, 0, 64)).toHaveLength(64);
    expect(await link.readInputRegisters(2, 0, 1)).toEqual([0]);
    await link.close();
  }, 20_000);

  it('refuses an unknown profile with CB_PROFILE_INVALID and exit code 1', async () => {
    const err = (await start(['--profile', 'nope', '--tcp', '0']).catch((e: unknown) => e)) as {
      code: number;
      stderr: string;
    };
    expect(err.code).toBe(1);
    expect(err.stderr).toMatch(/CB_PROFILE_INVALID: nope: unknown profile/);
  }, 20_000);

  it('prints usage and exits 2 without a transport', async () => {
    const err = (await start(['--profile', 'gate-counter']).catch((e: unknown) => e)) as {
      code: number;
      stderr: string;
    };
    expect(err.code).toBe(2);
    expect(err.stderr).toMatch(/usage: citybay-devices/);
  }, 20_000);
});

describe('citybay-devices --text-sign', () => {
  it('runs a virtual MULTI sign that the driver can write to', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cb-cli-sign-')), 'vms');
    const { child: proc } = await start(['--text-sign', '--pty', path, '--lines', '2', '--chars', '10']);
    const lines: string[] = [];
    proc.stdout!.on('data', (chunk: Buffer) =>
      lines.push(
        ...chunk
          .toString()
          .split('\n')
          .filter((l) => l !== ''),
      ),
    );
    const sign = createMultiTextSign({ id: 'cli', path, sign: { lines: 2, charsPerLine: 10 }, ackTimeoutMs: 500 });
    await sign.showMulti('P1 < 12');
    await vi.waitFor(
      () => expect(lines.includes('shown: P1 < 12'), 'the CLI to print what the sign shows').toBe(true),
      { timeout: 5000, interval: 10 },
    );
    await sign.close();
  }, 20_000);
});
