import { afterAll, describe, expect, it } from 'vitest';
import { allocate } from '../../src/allocation/allocate.js';
import type { AllocationPlan } from '../../src/allocation/allocation-types.js';
import { syntheticDay } from '../../src/allocation/synthetic-day.js';
import { createSimPool } from '../../src/pool/sim-pool.js';
import type { AllocateTask } from '../../src/pool/types.js';

const pool = createSimPool({ maxThreads: 2 });
afterAll(async () => {
  await pool.destroy();
});

describe('allocate on the worker pool', () => {
  it('gives the same plan on a worker thread as in-process, for several days at once', async () => {
    const days = [1, 2, 3].map((seed) => syntheticDay(seed, { appointmentCount: 150, capacityScale: 0.1 }));
    const plans = await Promise.all(
      days.map((day): Promise<AllocationPlan> =>
        pool.run('allocate', { day, options: { slotMin: 15 } } satisfies AllocateTask),
      ),
    );
    plans.forEach((plan, k) => {
      expect(plan).toEqual(allocate(days[k] ?? syntheticDay(0), { slotMin: 15 }));
    });
  });
});
