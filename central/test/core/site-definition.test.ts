import { isCitybayError } from '@citybay/common';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadConfig } from '../../src/config.js';
import { checkRequestAgainstSite, indexSite } from '../../src/core/site-check.js';
import { parseSiteDefinition } from '../../src/core/site-definition.js';
import { sampleSite, siteDefinitionFor } from '../helpers/sample-site.js';

function errorOf(fn: () => unknown): { code?: string; path?: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (isCitybayError(err)) return { code: err.code, path: err.path, message: err.message };
    throw err;
  }
  throw new Error('expected an error');
}

describe('site definition files', () => {
  const good = siteDefinitionFor(sampleSite());

  it('parses YAML', () => {
    expect(parseSiteDefinition(stringify(good), 'site.yaml')).toEqual(good);
  });

  it.each([
    ['a missing name', { ...good, name: undefined }, 'name'],
    [
      'a bad geometry',
      { ...good, lots: [{ ...good.lots[0], geometry: { type: 'Line', coordinates: [] } }] },
      'lots[0].geometry',
    ],
    ['a duplicate lot', { ...good, lots: [good.lots[0], good.lots[0]] }, 'lots[1].id'],
    [
      'a duplicate zone',
      { ...good, lots: [{ ...good.lots[0]!, zones: [{ id: 'A' }, { id: 'A' }] }] },
      'lots[0].zones[1].id',
    ],
    [
      'an unknown entrance',
      { ...good, lots: [{ ...good.lots[0]!, walkTimeSByEntrance: { west: 30 } }] },
      'lots[0].walkTimeSByEntrance.west',
    ],
  ])('names the file and field of %s', (_name, document, path) => {
    const err = errorOf(() => parseSiteDefinition(JSON.stringify(document), 'site.yaml'));
    expect(err).toMatchObject({ code: 'CB_SITE_INVALID', path });
    expect(err.message).toContain(`site.yaml: ${path}`);
  });

  it('refuses text that is not YAML', () => {
    expect(errorOf(() => parseSiteDefinition('lots: [', 'site.yaml')).code).toBe('CB_SITE_INVALID');
  });

  it('lets a lot without zones report itself as zone ""', () => {
    const gateCounted = { ...good, lots: [{ ...good.lots[0]!, zones: [] }] };
    const request = { siteId: good.id, edgeId: 'e', summaries: [{ seq: 1, zones: [{ lotId: 'P1', zoneId: '' }] }] };
    expect(() => checkRequestAgainstSite(request, good.id, indexSite(gateCounted))).not.toThrow();
    expect(errorOf(() => checkRequestAgainstSite(request, good.id, indexSite(good))).path).toBe(
      'summaries[0].zones[0].zoneId',
    );
  });
});

describe('config', () => {
  it('reads the environment, applies defaults and freezes', () => {
    const config = loadConfig({ CITYBAY_PORT: '9000', DATABASE_URL: 'postgres://x@h/db' });
    expect(config).toMatchObject({ port: 9000, databaseUrl: 'postgres://x@h/db', sqlitePath: './data/central.db' });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names the variable of a bad value', () => {
    const err = errorOf(() => loadConfig({ CITYBAY_PORT: 'eighty' }));
    expect(err).toMatchObject({ code: 'CB_CENTRAL_CONFIG_INVALID', path: 'port' });
    expect(err.message).toContain('CITYBAY_PORT');
    expect(errorOf(() => loadConfig({ DATABASE_URL: 'mysql://nope' })).path).toBe('databaseUrl');
  });
});

describe('the example site file', () => {
  it('is a valid site definition', async () => {
    const { readFileSync } = await import('node:fs');
    const file = new URL('../../examples/hospital-north.site.yaml', import.meta.url);
    const site = parseSiteDefinition(readFileSync(file, 'utf8'), 'hospital-north.site.yaml');
    expect(site.lots.map((l) => l.id)).toEqual(['P1', 'P2']);
  });
});

describe('a site’s allocation options and its lots’ last turns', () => {
  const good = siteDefinitionFor(sampleSite());
  const lotId = good.lots[0]?.id ?? '';

  it('are taken when they pass the allocator’s schema', () => {
    const site = {
      ...good,
      allocation: { arrivalShift: { earlierMin: 30 }, parkAndRide: [{ lotId, shuttleRideS: 300 }] },
      lots: good.lots.map((lot, i) => (i === 0 ? { ...lot, lastTurns: ['Turn right into Hospital Ave'] } : lot)),
    };
    expect(parseSiteDefinition(stringify(site), 'site.yaml')).toMatchObject({
      allocation: { arrivalShift: { earlierMin: 30 } },
    });
  });

  it.each([
    ['an unknown setting', { arrivalShift: { earlyMin: 30 } }, 'allocation.arrivalShift.earlyMin'],
    ['a slot that does not divide the day', { slotMin: 7 }, 'allocation.slotMin'],
    ['a park-and-ride lot the site lacks', { parkAndRide: [{ lotId: 'P9' }] }, 'allocation.parkAndRide[0].lotId'],
  ])('name the field of %s', (_what, allocation, path) => {
    expect(errorOf(() => parseSiteDefinition(stringify({ ...good, allocation }), 'site.yaml'))).toMatchObject({
      code: 'CB_SITE_INVALID',
      path,
    });
  });
});
