import { type CitybayError, isCitybayError } from '@citybay/common';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/cli/scenario-loader.js';
import { createSimPool } from '../../src/pool/sim-pool.js';
import { runScenario } from '../../src/scenario/run-scenario.js';

const SCENARIO = new URL('../fixtures/small-district/scenario.yaml', import.meta.url).pathname;

describe('sim worker pool', () => {
  it('gives bit-identical results on 1 and 2 threads and in the main thread', async () => {
    const scenario = loadScenario(SCENARIO);
    const grid = ['baseline', 'signs'].flatMap((policyName) => [7, 8].map((seed) => ({ policyName, seed })));
    const onThreads = async (threads: number) => {
      const pool = createSimPool({ maxThreads: threads });
      try {
        return await Promise.all(grid.map((options) => pool.runScenario({ scenario, options })));
      } finally {
        await pool.destroy();
      }
    };
    const one = await onThreads(1);
    const two = await onThreads(2);
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
    const inline = grid.map((options) => runScenario(scenario, options));
    expect(JSON.stringify(one)).toBe(JSON.stringify(inline));
    expect(one[0]!.policy).toBe('baseline');
    expect(one[0]!.kpis).not.toEqual(one[1]!.kpis);
  });

  it("carries a task's CitybayError across threads whole: code, path and status", async () => {
    const scenario = loadScenario(SCENARIO);
    const options = { policyName: 'no-such-policy', seed: 1 };
    const inline = (() => {
      try {
        runScenario(scenario, options);
      } catch (err) {
        return err as CitybayError;
      }
      throw new Error('expected the run to throw');
    })();
    const pool = createSimPool({ maxThreads: 1 });
    try {
      const err = await pool.runScenario({ scenario, options }).catch((e: unknown) => e);
      expect(isCitybayError(err, 'CB_SCENARIO_INVALID')).toBe(true);
      const { code, path, statusCode, message } = err as CitybayError;
      expect({ code, path, statusCode, message }).toEqual({
        code: inline.code,
        path: inline.path,
        statusCode: inline.statusCode,
        message: inline.message,
      });
      // Its stack is the thread's: where it was thrown.
      expect((err as Error).stack).toContain('run-scenario');
    } finally {
      await pool.destroy();
    }
  });

  it('rejects a task name the worker does not have', async () => {
    const pool = createSimPool({ maxThreads: 1 });
    try {
      // @ts-expect-error -- not a task of the worker file: its task map refuses the name before the worker does
      await expect(pool.run('noSuchTask', {})).rejects.toThrow();
    } finally {
      await pool.destroy();
    }
  });
});
