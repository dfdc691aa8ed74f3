import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCitybayError } from '@citybay/common';
import { describe, expect, it } from 'vitest';
import {
  BUILTIN_PROFILE_DIR,
  builtinProfileNames,
  loadProfile,
  parseProfile,
} from '../../src/profiles/load-profile.js';
import { profileJsonSchema } from '../../src/profiles/profile-json-schema.js';
import { multiParseConfig, textSignConfig } from '../../src/signs/multi-text-sign.js';

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

function invalid(text: string, source = 'bad.yaml') {
  try {
    parseProfile(text, source);
  } catch (err) {
    if (!isCitybayError(err, 'CB_PROFILE_INVALID')) throw err;
    return err;
  }
  throw new Error('expected CB_PROFILE_INVALID');
}

const base = `
name: t
description: test
kind: bay-controller
bayCount: 8
pollGroups: { fast: { intervalMs: 100 } }
`;

describe('shipped profiles', () => {
  it('ships the four profiles of the issue and a MULTI text sign, all valid', async () => {
    expect(builtinProfileNames()).toEqual([
      'bit-per-bay-64',
      'gate-counter',
      'modbus-sign',
      'register-per-bay-ultrasonic',
      'text-sign-3x16',
    ]);
    for (const name of builtinProfileNames()) {
      const profile = await loadProfile(name);
      expect(profile.name).toBe(name);
    }
    const bits = await loadProfile('bit-per-bay-64');
    expect(bits.bayCount).toBe(64);
    expect(bits.points.find((p) => p.name === 'bays')).toMatchObject({ register: 'discrete', address: 0, count: 64 });
  });

  it('reads a text sign profile into the MULTI driver configuration (arrow glyphs, layout)', async () => {
    const config = textSignConfig(await loadProfile('text-sign-3x16'));
    expect(config).toMatchObject({ lines: 3, charsPerLine: 16, fonts: [1, 2], lineLayout: 'split' });
    expect(config.arrowGlyphs).toMatchObject({ left: 0x80, right: 0x81 });
    expect(multiParseConfig(config).glyphs).toContain(0x88);
  });

  it('refuses, with the file and path and never by throwing anything else, YAML that is too big or has bad aliases', () => {
    const big = `name: big\ndescription: "${'x'.repeat(70_000)}"\n`;
    expect(() => parseProfile(big, 'big.yaml')).toThrow(/big\.yaml: 70\d+ characters, a profile has at most 65536/);
    const recursive = 'name: r\ndescription: x\nkind: counter\nbayCount: 0\npollGroups: &g { a: *g }\npoints: []\n';
    expect(() => parseProfile(recursive, 'r.yaml')).toThrow(expect.objectContaining({ code: 'CB_PROFILE_INVALID' }));
    expect(() => parseProfile('name: *nowhere\n', 'a.yaml')).toThrow(/a\.yaml: name: alias \*nowhere names no anchor/);
  });

  it('refuses a text sign profile whose default font it does not have', () => {
    const yaml =
      'name: t\ndescription: x\nkind: text-sign\nbayCount: 0\npollGroups: {}\npoints: []\nmulti: { lines: 2, charsPerLine: 8, fonts: [1], defaultFont: 2 }\n';
    expect(() => parseProfile(yaml, 't.yaml')).toThrow(/t\.yaml: multi\.defaultFont: font 2 is not in fonts/);
    const noSection = 'name: t\ndescription: x\nkind: text-sign\nbayCount: 0\npollGroups: {}\npoints: []\n';
    expect(() => parseProfile(noSection, 't.yaml')).toThrow(
      /multi: a profile of kind "text-sign" needs a multi section/,
    );
  });

  it('loads a profile file by path, JSON too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-profile-'));
    const file = join(dir, 'mine.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'mine',
        description: 'd',
        kind: 'counter',
        bayCount: 0,
        pollGroups: { default: { intervalMs: 1000 } },
        points: [{ name: 'in', register: 'input', address: 0, count: 2, decode: { type: 'counter', width: 32 } }],
      }),
    );
    expect((await loadProfile(file)).name).toBe('mine');
  });
});

describe('published JSON Schema', () => {
  it('is up to date with the TypeBox schema (npm run gen:schema -w @citybay/firmware-bridge)', () => {
    const published = JSON.parse(readFileSync(`${BUILTIN_PROFILE_DIR}device-profile.schema.json`, 'utf8'));
    expect(published).toEqual(profileJsonSchema());
  });
});

describe('bad profiles are CB_PROFILE_INVALID naming the file and the field', () => {
  it('unknown shipped name', async () => {
    const err = await rejection(loadProfile('no-such-device'));
    expect(isCitybayError(err, 'CB_PROFILE_INVALID')).toBe(true);
    expect((err as Error).message).toContain('bit-per-bay-64');
  });

  it('missing file', async () => {
    const err = await rejection(loadProfile('/nonexistent/x.yaml'));
    expect(isCitybayError(err, 'CB_PROFILE_INVALID')).toBe(true);
  });

  it('YAML that does not parse', () => {
    expect(invalid('name: [unclosed').message).toMatch(/^bad\.yaml: not valid YAML/);
  });

  it('schema violation deep in a point', () => {
    const err = invalid(
      `${base}points:\n  - { name: bays, register: holdng, address: 0, count: 8, pollGroup: fast, decode: { type: bit-per-bay } }\n`,
    );
    expect(err.path).toBe('points[0].register');
    expect(err.message).toMatch(/^bad\.yaml: points\[0\]\.register: /);
  });

  it('unknown property', () => {
    expect(invalid(`${base}points: []\ncolour: red\n`).message).toContain('bad.yaml');
  });

  it('decode type that does not fit the table', () => {
    const err = invalid(
      `${base}points:\n  - { name: bays, register: holding, address: 0, count: 8, pollGroup: fast, decode: { type: bit-per-bay } }\n`,
    );
    expect(err.path).toBe('points[0].decode.type');
  });

  it('bays beyond bayCount, wrong counter width, unknown poll group, duplicate names', () => {
    expect(
      invalid(
        `${base}points:\n  - { name: bays, register: discrete, address: 0, count: 9, pollGroup: fast, decode: { type: bit-per-bay } }\n`,
      ).path,
    ).toBe('points[0].count');
    expect(
      invalid(
        `${base}points:\n  - { name: c, register: holding, address: 0, count: 1, pollGroup: fast, decode: { type: counter, width: 32 } }\n`,
      ).path,
    ).toBe('points[0].count');
    expect(
      invalid(
        `${base}points:\n  - { name: c, register: holding, address: 0, count: 1, pollGroup: slow, decode: { type: value } }\n`,
      ).path,
    ).toBe('points[0].pollGroup');
    expect(
      invalid(
        `${base}points:\n  - { name: c, register: holding, address: 0, count: 1, pollGroup: fast, decode: { type: value } }\n  - { name: c, register: holding, address: 1, count: 1, pollGroup: fast, decode: { type: value } }\n`,
      ).path,
    ).toBe('points[1].name');
  });

  it('packed count that does not match bays × bits', () => {
    const err = invalid(
      `${base}points:\n  - { name: p, register: input, address: 0, count: 1, pollGroup: fast, decode: { type: packed, bitsPerBay: 4, bays: 8, values: { '0': free } } }\n`,
    );
    expect(err.path).toBe('points[0].count');
  });

  it('a sign profile without its sign section', () => {
    expect(invalid(`${base.replace('bay-controller', 'sign')}points: []\n`).path).toBe('sign');
  });
});
