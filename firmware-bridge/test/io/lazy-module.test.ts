import { describe, expect, it } from 'vitest';
import { lazyModule } from '../../src/io/lazy-module.js';

describe('lazyModule', () => {
  it('loads once and keeps the module', async () => {
    let loads = 0;
    const load = lazyModule('pkg', 'Things', async () => ({ id: ++loads }));
    expect(loads).toBe(0);
    expect(await load()).toBe(await load());
    expect(loads).toBe(1);
  });

  it('names the package and what needs it when loading fails, and tries again next time', async () => {
    let attempts = 0;
    const load = lazyModule('serialport', 'Serial signs', async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('No native build was found');
      return 'loaded';
    });
    const err = (await load().catch((e: unknown) => e)) as Error;
    expect(err.message).toContain('Serial signs need the package "serialport"');
    expect((err.cause as Error).message).toBe('No native build was found');
    expect(await load()).toBe('loaded');
  });
});
