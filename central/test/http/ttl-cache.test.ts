import { ManualClock } from '@citybay/common';
import { describe, expect, it } from 'vitest';
import { FailedLogins } from '../../src/http/failed-logins.js';
import { TtlCache } from '../../src/http/ttl-cache.js';

describe('TtlCache (credentials and sites)', () => {
  it('drops only its least recently used entry when full, never everything', async () => {
    const cache = new TtlCache<string>(5_000, new ManualClock(0), 100, 10);
    for (let i = 0; i < 100; i++) await cache.get(`k${i}`, async () => `v${i}`);
    // k0 used again: now the most recent.
    expect(await cache.get('k0', async () => 'reloaded')).toBe('v0');
    await cache.get('k100', async () => 'v100');
    expect(cache.size).toEqual({ entries: 100, misses: 0 });
    expect(cache.peek('k1')).toBeUndefined();
    expect(cache.peek('k0')).toBe('v0');
    expect(cache.peek('k2')).toBe('v2');
  });

  it('holds absent keys apart and bounded, so a flood of unknown ids does not push out known ones', async () => {
    const cache = new TtlCache<string>(5_000, new ManualClock(0), 100, 10);
    await cache.get('edge-01', async () => 'record');
    let loads = 0;
    for (let i = 0; i < 10_000; i++) {
      await cache.get(`random-${i}`, async () => {
        loads += 1;
        return undefined;
      });
    }
    expect(loads).toBe(10_000);
    expect(cache.size).toEqual({ entries: 1, misses: 10 });
    expect(cache.peek('edge-01')).toBe('record');
    // A recent miss is remembered for the TTL: asking again does not load.
    expect(await cache.get('random-9999', async () => 'now there')).toBeUndefined();
  });

  it('loads again once an entry is older than the TTL, or when asked for a fresher one', async () => {
    const clock = new ManualClock(0);
    const cache = new TtlCache<number>(5_000, clock);
    let version = 0;
    const load = async () => ++version;
    expect(await cache.get('a', load)).toBe(1);
    clock.advance(5_000);
    expect(await cache.get('a', load)).toBe(1);
    clock.advance(1);
    expect(await cache.get('a', load)).toBe(2);
    expect(await cache.get('a', load, 0)).toBe(2);
    clock.advance(1);
    expect(await cache.get('a', load, 0)).toBe(3);
  });
});

describe('FailedLogins', () => {
  it('is over budget after maxPerWindow failures of one address, until its minute is over', () => {
    const clock = new ManualClock(1_000_000);
    const failures = new FailedLogins(3, clock);
    for (let i = 0; i < 3; i++) {
      expect(failures.isOver('10.0.0.1')).toBe(false);
      failures.recordFailure('10.0.0.1');
    }
    expect(failures.isOver('10.0.0.1')).toBe(true);
    expect(failures.isOver('10.0.0.2')).toBe(false);
    clock.advance(20_000);
    expect(failures.retryAfterS('10.0.0.1')).toBe(40);
    clock.advance(40_000);
    expect(failures.isOver('10.0.0.1')).toBe(false);
  });

  it('holds at most maxAddresses addresses', () => {
    const failures = new FailedLogins(3, new ManualClock(0), 50);
    for (let i = 0; i < 10_000; i++) failures.recordFailure(`10.0.${i >> 8}.${i & 255}`);
    expect(failures.size).toBe(50);
  });
});
