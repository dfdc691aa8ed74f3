import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { checkSiteData, checkSiteFile, loadSiteConfig } from '../../src/config/load-site-config.js';
import { siteJsonSchemaText } from '../../src/config/site-json-schema.js';
import { smallSite } from '../support/site-fixtures.js';
import { tempDir } from '../support/temp-dir.js';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

const noEnv = { env: {} };

describe('loadSiteConfig', () => {
  it('accepts the shipped example, frozen, with defaults and files resolved', () => {
    const config = loadSiteConfig(join(examples, 'site.yaml'), noEnv);
    expect(config.layout.bays).toHaveLength(176);
    expect(config.central.secret).toMatch(/^cbk_/);
    expect(config.intervals.planMs).toBe(1000);
    expect(config.guidance).toEqual({ fullAtFree: 2, reopenAtFree: 6, maxUnknownPct: 25 });
    expect(config.profiles.get('bit-per-bay-64')?.bayCount).toBe(64);
    expect(Object.isFrozen(config.file.lots[0])).toBe(true);
  });

  it('reports every error of the bad example with the path of the bad field', () => {
    const result = checkSiteFile(join(examples, 'bad-site.yaml'), noEnv);
    expect(result.config).toBeUndefined();
    const paths = result.issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'edge.id',
        'buses[0].devices[1].profile',
        'buses[0].devices[2].unitId',
        'lots[0].zones[0].bays[0]',
        'lots[0].zones[0].bays[1].kind',
        'signs[0].lines[0].lot',
        'central.url',
        'central',
      ]),
    );
    const kind = result.issues.find((i) => i.path === 'lots[0].zones[0].bays[1].kind')!;
    expect(kind.message).toContain('"accessible"');
    expect(kind.message).toContain('got "vip"');
    expect(() => loadSiteConfig(join(examples, 'bad-site.yaml'), noEnv)).toThrowError(
      expect.objectContaining({ code: 'CB_CONFIG_INVALID', path: 'edge.id' }),
    );
  });

  it('checks cross-references: gate counters, sign profiles, duplicate ids, hysteresis', () => {
    const file = smallSite();
    file.lots[1]!.gateCounting!.gates[0]!.entries = { device: 'gate-1', counter: 'entrances' };
    file.lots[1]!.gateCounting!.gates[0]!.exits = { gpio: 'loop-9' };
    file.signs!.push({
      id: 'vms-1',
      location: 'x',
      driver: { type: 'modbus', bus: 'bus9', unitId: 9, profile: 'bit-per-bay-64' },
      lines: [{ lot: 'P1', zone: 'Z', arrow: 'left', fallback: { text: '--' } }],
    });
    file.guidance = { fullAtFree: 5, reopenAtFree: 5 };
    const { issues } = checkSiteData(file, join(dir.path, 'site.yaml'), noEnv);
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i.message]));
    expect(byPath['lots[1].gateCounting.gates[0].entries.counter']).toContain(
      'no counter "entrances" (known: entries, exits)',
    );
    expect(byPath['lots[1].gateCounting.gates[0].exits.gpio']).toContain('unknown GPIO input "loop-9"');
    expect(byPath['signs[1].id']).toContain('already used');
    expect(byPath['signs[1].driver.bus']).toContain('unknown bus "bus9"');
    expect(byPath['signs[1].driver.profile']).toContain('expected a sign profile');
    expect(byPath['signs[1].lines[0].zone']).toContain('no zone "Z"');
    expect(byPath['signs[1].lines[0].fallback']).toContain('shows no text');
    expect(byPath['guidance.reopenAtFree']).toContain('expected more than fullAtFree (5)');
  });

  it('takes the secret from the environment first, then the secret file, and never echoes it', () => {
    const file = smallSite();
    file.central = { url: 'http://x', secretFile: 'edge.secret' };
    writeFileSync(join(dir.path, 'edge.secret'), 'cbk_tooshort\n');
    writeFileSync(join(dir.path, 'site.yaml'), stringify(file));
    const bad = checkSiteFile(join(dir.path, 'site.yaml'), noEnv);
    expect(bad.issues).toEqual([{ path: 'central.secretFile', message: expect.stringContaining('43 base64url') }]);
    expect(JSON.stringify(bad.issues)).not.toContain('tooshort');
    const good = checkSiteFile(join(dir.path, 'site.yaml'), { env: { CITYBAY_EDGE_SECRET: `cbk_${'x'.repeat(43)}` } });
    expect(good.config?.central.secret).toBe(`cbk_${'x'.repeat(43)}`);
  });

  it('names the line of a YAML syntax error', () => {
    writeFileSync(join(dir.path, 'site.yaml'), 'site: { id: a\nedge: [\n');
    const { issues } = checkSiteFile(join(dir.path, 'site.yaml'), noEnv);
    expect(issues[0]!.message).toMatch(/not valid YAML at line \d+/);
  });

  it('publishes an up-to-date JSON Schema (run `npm run gen:schema -w @citybay/edge` when this fails)', () => {
    const published = readFileSync(fileURLToPath(new URL('../../site.schema.json', import.meta.url)), 'utf8');
    expect(published).toBe(siteJsonSchemaText());
  });
});
