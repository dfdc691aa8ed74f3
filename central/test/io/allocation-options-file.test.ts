import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCitybayError } from '@citybay/common';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { loadAllocationOptions, siteAllocationOptions } from '../../src/io/allocation-options-file.js';

const dir = mkdtempSync(join(tmpdir(), 'citybay-allocation-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CITYBAY_ALLOCATION_OPTIONS', () => {
  it('is read once, checked by the allocator’s schema, and a site’s own options win key by key', () => {
    const path = join(dir, 'allocation.yaml');
    writeFileSync(path, 'slotMin: 10\narrivalShift: { earlierMin: 20 }\nunplacedPenaltyS: 9000\n');
    const config = loadConfig({ CITYBAY_ALLOCATION_OPTIONS: path, CITYBAY_PUBLIC_URL: 'https://park.example.org' });
    expect(config.publicBaseUrl).toBe('https://park.example.org');
    expect(config.driverPageRefreshS).toBe(30);
    const defaults = loadAllocationOptions(config.allocationOptionsPath);
    expect(defaults).toEqual({ slotMin: 10, arrivalShift: { earlierMin: 20 }, unplacedPenaltyS: 9000 });
    expect(siteAllocationOptions(defaults, { allocation: { slotMin: 15 } })).toEqual({
      slotMin: 15,
      arrivalShift: { earlierMin: 20 },
      unplacedPenaltyS: 9000,
    });
    expect(loadAllocationOptions(undefined)).toEqual({});
  });

  it('fails to start with the file and field of a bad setting', () => {
    const path = join(dir, 'bad.yaml');
    writeFileSync(path, 'gateUtilisation: 2\n');
    try {
      loadAllocationOptions(path);
      expect.unreachable();
    } catch (err) {
      expect(isCitybayError(err, 'CB_CENTRAL_CONFIG_INVALID')).toBe(true);
      expect((err as { path?: string }).path).toBe('gateUtilisation');
      expect((err as Error).message).toContain('bad.yaml');
    }
    expect(() => loadConfig({ CITYBAY_PUBLIC_URL: 'park.example.org/x' })).toThrow(/publicBaseUrl/);
  });
});
