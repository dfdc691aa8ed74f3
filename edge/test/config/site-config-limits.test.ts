import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { checkSiteData, checkSiteFile } from '../../src/config/load-site-config.js';
import type { SiteFile } from '../../src/config/site-config-schema.js';
import { smallSite } from '../support/site-fixtures.js';
import { tempDir } from '../support/temp-dir.js';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

const noEnv = { env: {} };
const check = (file: SiteFile) => checkSiteData(file, join(dir.path, 'site.yaml'), noEnv);
const byPath = (issues: { path: string; message: string }[]) =>
  Object.fromEntries(issues.map((i) => [i.path, i.message]));

function checkText(text: string) {
  writeFileSync(join(dir.path, 'site.yaml'), text);
  return checkSiteFile(join(dir.path, 'site.yaml'), noEnv);
}

describe('the site file is checked against the schema before anything is built from it', () => {
  it('a bay run of 100,000,000 bays is refused by the schema without building it', () => {
    const file = smallSite();
    file.lots[0]!.zones![0]!.bays[0] = { prefix: 'A', count: 100_000_000, device: 'ctrl-1', deviceBay: 0 };
    const before = process.memoryUsage().heapUsed;
    const { config, issues } = check(file);
    expect(config).toBeUndefined();
    expect(byPath(issues)['lots[0].zones[0].bays[0].count']).toMatch(/less or equal to 4096, got 100000000/);
    // References are still checked, on a copy with the broken run left out: the sign's unknown lot is found.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('more bays in all than the wire contract carries (100,000) is one issue, before any layout', () => {
    const file = smallSite();
    file.lots[0]!.zones![0]!.bays = Array.from({ length: 25 }, (_, i) => ({ prefix: `R${i}-`, count: 4096 }));
    expect(byPath(check(file).issues)['lots']).toBe('102408 bays, a site has at most 100000');
  });

  it('still reports broken references of the parts that are valid', () => {
    const file = smallSite();
    file.lots[0]!.zones![0]!.bays[0] = { prefix: 'A', count: 100_000_000 };
    file.signs![0]!.lines[0]!.lot = 'P9';
    expect(byPath(check(file).issues)['signs[0].lines[0].lot']).toMatch(/unknown lot "P9"/);
  });
});

describe('files the site file names are regular files with a size cap', () => {
  const withSecretFile = (path: string) => {
    const file = smallSite();
    file.central = { url: 'http://127.0.0.1:1', secretFile: path };
    return check(file).issues;
  };

  it('/dev/zero fails at once, naming the field', () => {
    expect(withSecretFile('/dev/zero')).toEqual([
      {
        path: 'central.secretFile',
        message: 'cannot read secret file /dev/zero: a character device, expected a regular file',
      },
    ]);
  });

  it('a FIFO with no writer fails at once instead of hanging', () => {
    const fifo = join(dir.path, 'secret.fifo');
    execFileSync('mkfifo', [fifo]);
    expect(withSecretFile(fifo)).toEqual([
      { path: 'central.secretFile', message: expect.stringContaining('a FIFO (named pipe), expected a regular file') },
    ]);
  });

  it('a secret file larger than 4 KiB, a directory and a missing file are refused', () => {
    writeFileSync(join(dir.path, 'big.secret'), 'x'.repeat(5000));
    expect(withSecretFile('big.secret')[0]!.message).toMatch(/5000 bytes, at most 4096 expected/);
    expect(withSecretFile('.')[0]!.message).toMatch(/a directory, expected a regular file/);
    expect(withSecretFile('nope.secret')[0]!.message).toMatch(/ENOENT/);
  });

  it('the site file itself: a FIFO named as the site file is refused, not waited on', () => {
    const fifo = join(dir.path, 'site.fifo');
    execFileSync('mkfifo', [fifo]);
    expect(checkSiteFile(fifo, noEnv).issues[0]!.message).toMatch(/cannot read the site file: a FIFO/);
  });
});

describe('YAML errors are reported with the path, never thrown', () => {
  it.each([
    ['an alias with no anchor', 'site: *nowhere\n', 'site', /alias \*nowhere names no anchor/],
    [
      'an alias bomb',
      'a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n',
      'b[0]',
      /aliases expand to too much data/,
    ],
    ['an alias that contains itself', 'lots: &l [{ id: P1, zones: *l }]\n', 'lots[0].zones', /refers to itself/],
    ['a duplicate key', 'site: { id: a }\nsite: { id: b }\n', '', /not valid YAML at line 2: Map keys must be unique/],
    [
      'nesting 5,000 deep',
      `site: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
      '',
      /nested (deeper than 32 levels|too deep to parse)/,
    ],
  ])('%s', (_what, text, path, message) => {
    const { config, issues } = checkText(text);
    expect(config).toBeUndefined();
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path.startsWith(path)).toBe(true);
    expect(issues[0]!.message).toMatch(message);
  });
});

describe('check catches commissioning mistakes', () => {
  const rtuBus = (id: string, path: string, baudRate: number) => ({
    id,
    transport: 'rtu' as const,
    path,
    baudRate: baudRate as 19200,
    devices: [{ id: `${id}-ctrl`, profile: 'bit-per-bay-64', unitId: 5 }],
  });

  it('two devices with one unit id on a bus, and a sign on a sensor’s unit id', () => {
    const file = smallSite();
    file.buses![0]!.devices[1]!.unitId = 1;
    file.signs!.push({
      id: 'vms-2',
      location: 'x',
      driver: { type: 'modbus', bus: 'bus1', unitId: 3, profile: 'modbus-sign' },
      lines: [{ lot: 'P1', arrow: 'left', fallback: 'FULL' }],
    });
    const issues = byPath(check(file).issues);
    expect(issues['buses[0].devices[1].unitId']).toMatch(/unit id 1 is already used on bus "bus1" by "ctrl-1"/);
    expect(issues['signs[1].driver.unitId']).toMatch(/unit id 3 is already used on bus "bus1" by "gate-1"/);
  });

  it('a baud rate that is not a standard one', () => {
    const file = smallSite();
    file.buses!.push(rtuBus('rs485', '/dev/ttyUSB0', 19201));
    expect(byPath(check(file).issues)['buses[1].baudRate']).toMatch(/expected one of 1200, .*19200.*, got 19201/);
  });

  it('one serial port opened by a bus and a text sign', () => {
    const file = smallSite();
    file.buses!.push(rtuBus('rs485', '/dev/ttyUSB0', 19200));
    file.signs!.push({
      id: 'vms-2',
      location: 'x',
      driver: { type: 'multi', path: '/dev/ttyUSB0', baudRate: 9600 },
      lines: [{ lot: 'P1', arrow: 'left' }],
    });
    expect(byPath(check(file).issues)['signs[1].driver.path']).toMatch(
      /\/dev\/ttyUSB0 is already opened by buses\[1\]/,
    );
  });

  it('a MULTI sign given more lines than its profile has, or lines wider than its characters', () => {
    const file = smallSite();
    file.signs!.push({
      id: 'vms-2',
      location: 'x',
      driver: { type: 'multi', path: '/dev/ttyUSB1', baudRate: 9600, profile: 'text-sign-3x16' },
      lines: ['P1', 'P2', 'P1', 'P2'].map((lot) => ({ lot, arrow: 'left' as const })),
    });
    file.signs!.push({
      id: 'vms-3',
      location: 'x',
      driver: { type: 'multi', path: '/dev/ttyUSB2', baudRate: 9600, lines: 1, charsPerLine: 8 },
      lines: [{ label: 'NORTH', lot: 'P1', arrow: 'left' }],
    });
    file.signs!.push({
      id: 'vms-4',
      location: 'x',
      driver: { type: 'multi', path: '/dev/ttyUSB3', baudRate: 9600, profile: 'bit-per-bay-64' },
      lines: [{ lot: 'P1', arrow: 'left' }],
    });
    const issues = byPath(check(file).issues);
    expect(issues['signs[1].lines']).toBe(
      '4 lines, but the sign has 3 (profile "text-sign-3x16"): every write would be refused',
    );
    expect(issues['signs[2].lines[0]']).toMatch(
      /"NORTH" with 16 does not fit the sign \(8 characters per line\): MULTI textTooBig/,
    );
    expect(issues['signs[3].driver.profile']).toMatch(/expected a text-sign profile, got "bit-per-bay-64"/);
  });

  it('the shipped example still passes, and the example file of each mistake fails the CLI', () => {
    const file = smallSite();
    file.buses![0]!.devices[1]!.unitId = 1;
    writeFileSync(join(dir.path, 'site.yaml'), stringify(file));
    const { issues } = checkSiteFile(join(dir.path, 'site.yaml'), noEnv);
    expect(issues.map((i) => i.path)).toEqual(['buses[0].devices[1].unitId']);
  });
});
