import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLotsFile } from '@citybay/sim';
import { describe, expect, it } from 'vitest';
import { parseDistrictFile } from '../../src/district/district-file.js';
import { generateDistrict } from '../../src/district/generate-district.js';
import { parseTwinLayout } from '../../src/district/twin-layout.js';
import { REPO_ROOT } from '../../src/stack/package-commands.js';

const DISTRICT = join(REPO_ROOT, 'scripts/district/hospital-district.yaml');
const LOTS = join(REPO_ROOT, 'sim/scenarios/hospital-district/lots.yaml');
const layout = generateDistrict(
  parseDistrictFile(readFileSync(DISTRICT, 'utf8'), DISTRICT),
  parseLotsFile(readFileSync(LOTS, 'utf8'), LOTS),
  {
    fileName: 'district.yaml',
    scenarioPath: '/scenario.yaml',
    centralUrl: 'http://127.0.0.1:8080',
    portFor: () => 15020,
    secretFileFor: (edgeId) => `/tmp/${edgeId}.secret`,
    outboxPathFor: (edgeId) => `/tmp/${edgeId}.db`,
  },
).twin;

function errorOf(text: string): { code?: string; path?: string } {
  try {
    parseTwinLayout(text, 'twin.json');
  } catch (err) {
    return err as { code?: string; path?: string };
  }
  throw new Error('expected an error');
}

describe('parseTwinLayout', () => {
  it('reads back what the generator writes', () => {
    expect(parseTwinLayout(JSON.stringify(layout), 'twin.json')).toEqual(layout);
  });

  it('names the bad field, and a reference to an emulator that is not there', () => {
    expect(errorOf('{')).toMatchObject({ code: 'CB_TWIN_INVALID', path: '(root)' });
    const badKind = structuredClone(layout);
    (badKind.lots[0]!.ranges[0] as { kind: string }).kind = 'limousine';
    expect(errorOf(JSON.stringify(badKind)).path).toBe('lots[0].ranges[0].kind');
    const dangling = structuredClone(layout);
    dangling.signs[1]!.emulator = 'nowhere';
    expect(errorOf(JSON.stringify(dangling))).toMatchObject({ code: 'CB_TWIN_INVALID', path: 'signs[1].emulator' });
  });
});
