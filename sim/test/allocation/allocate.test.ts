import { isCitybayError } from '@citybay/common';
import { loadHighs } from '../../bench/load-highs.js';
import { describe, expect, it } from 'vitest';
import { allocate, allocateFirstComeFirstServed } from '../../src/allocation/allocate.js';
import { compileDay } from '../../src/allocation/allocation-instance.js';
import type { AllocationDay, AllocationPlan } from '../../src/allocation/allocation-types.js';
import { buildAllocationLp, decodeAllocationLp } from '../../src/allocation/ilp-builder.js';
import { syntheticDay } from '../../src/allocation/synthetic-day.js';
import { gridNetwork } from '../routing/grid-network.js';
import { checkPlanFeasible } from './plan-check.js';

const highs = await loadHighs();

function optimum(day: AllocationDay): number {
  const { instance } = compileDay(day);
  const solution = highs.solve(buildAllocationLp(instance), { output_flag: false });
  expect(solution.Status).toBe('Optimal');
  return solution.ObjectiveValue;
}

function checkFeasible(day: AllocationDay, plan: AllocationPlan): void {
  checkPlanFeasible(day, {}, plan.assignments);
}

describe('allocate', () => {
  it.each([1, 2, 3, 4, 5, 6])(
    'equals the HiGHS optimum on a small tight day (seed %i) and says it is proven',
    (seed) => {
      const day = syntheticDay(seed, { appointmentCount: 30, capacityScale: 0.015, gateScale: 0.05 });
      const plan = allocate(day);
      expect(plan.summary.objectiveS).toBeCloseTo(optimum(day), 6);
      expect(plan.summary.isProvenOptimal).toBe(true);
      checkFeasible(day, plan);
    },
  );

  it.each([7, 8, 9])('equals the HiGHS optimum on a 60-car day with 1–8 bays per lot and kind (seed %i)', (seed) => {
    const day = syntheticDay(seed, { appointmentCount: 60, capacityScale: 0.025, gateScale: 0.08 });
    expect(allocate(day).summary.objectiveS).toBeCloseTo(optimum(day), 6);
  });

  it('respects bays and gates on a bigger day, beats first-come-first-served, and its bound holds', () => {
    const day = syntheticDay(11, { appointmentCount: 400, capacityScale: 0.2, gateScale: 0.25 });
    const plan = allocate(day);
    const greedy = allocateFirstComeFirstServed(day);
    checkFeasible(day, plan);
    checkFeasible(day, greedy);
    const best = optimum(day);
    expect(plan.summary.objectiveS).toBeGreaterThanOrEqual(best - 1e-6);
    expect(plan.summary.lowerBoundS).toBeLessThanOrEqual(best + 1e-6);
    expect(plan.summary.objectiveS).toBeLessThan(greedy.summary.objectiveS);
  });

  it('explains every assignment with a cost breakdown that adds up', () => {
    const day = syntheticDay(5, { appointmentCount: 200, capacityScale: 0.15 });
    const plan = allocate(day);
    for (const a of plan.assignments) {
      const c = a.cost;
      expect(
        c.driveS + c.weightedWalkS + c.fallbackPenaltyS + c.shiftPenaltyS + c.alternativePenaltyS + c.unplacedPenaltyS,
      ).toBeCloseTo(c.totalS, 6);
      if (a.placed) {
        expect(a.zoneId).toMatch(/^[AB]$/);
        const appointment = day.appointments.find((x) => x.id === a.appointmentId);
        if (appointment?.needs.requiredKind !== undefined) expect(a.kind).toBe(appointment.needs.requiredKind);
      }
    }
    expect(plan.summary.placed + plan.summary.unplaced).toBe(200);
    const sum = plan.assignments.reduce((s, a) => s + a.cost.totalS, 0);
    expect(plan.summary.objectiveS).toBeCloseTo(sum, 6);
  });

  it('the LP file decodes back to the objective HiGHS reports', () => {
    const day = syntheticDay(3, { appointmentCount: 25, capacityScale: 0.015, gateScale: 0.05 });
    const { instance } = compileDay(day);
    const solution = highs.solve(buildAllocationLp(instance), { output_flag: false });
    const choice = decodeAllocationLp(
      instance,
      (c) => (solution.Columns[c] as { Primal: number } | undefined)?.Primal ?? 0,
    );
    let total = 0;
    choice.forEach((o) => {
      total += o < 0 ? instance.unplacedPenaltyS : (instance.optCost[o] ?? 0);
    });
    expect(total).toBeCloseTo(solution.ObjectiveValue, 6);
  });

  it('routes cars over the network and describes the route', () => {
    const network = gridNetwork(4);
    for (const edge of network.edges)
      edge.name =
        edge.fromNodeId.slice(1, 2) === edge.toNodeId.slice(1, 2)
          ? `Avenue ${edge.fromNodeId.slice(1, 2)}`
          : `Street ${edge.fromNodeId.slice(3)}`;
    const day = syntheticDay(2, { appointmentCount: 20 });
    day.network = network;
    day.lots = day.lots.slice(0, 2);
    day.occupancy = [];
    day.lots[0] = { ...(day.lots[0] as (typeof day.lots)[0]), entryEdgeId: 'n3_2-n3_3' };
    day.lots[1] = { ...(day.lots[1] as (typeof day.lots)[0]), entryEdgeId: 'n1_0-n0_0' };
    day.originEdgeByZone = Object.fromEntries(
      Array.from({ length: 8 }, (_, z) => [`zone-${z}`, z % 2 === 0 ? 'n0_1-n1_1' : 'n2_3-n2_2']),
    );
    const plan = allocate(day);
    const routed = plan.assignments.filter((a) => a.route !== undefined);
    expect(routed.length).toBe(plan.summary.placed);
    for (const a of routed) {
      expect(a.route?.driveS).toBeCloseTo(a.cost.driveS, 6);
      expect(a.route?.edgeIds.at(-1)).toBe(a.lotId === day.lots[0]?.id ? 'n3_2-n3_3' : 'n1_0-n0_0');
      expect(a.route?.text).toMatch(/^Via .+, (turn (left|right|round)|continue) into /);
    }
  });

  it('leaves out appointments whose status needs no bay and lists them', () => {
    const day = syntheticDay(4, { appointmentCount: 40 });
    day.appointments[3] = { ...(day.appointments[3] as (typeof day.appointments)[0]), status: 'cancelled' };
    day.appointments[7] = { ...(day.appointments[7] as (typeof day.appointments)[0]), status: 'entered-in-error' };
    const plan = allocate(day);
    expect(plan.assignments).toHaveLength(38);
    expect(plan.skipped).toEqual([
      { appointmentId: day.appointments[3]?.id, status: 'cancelled' },
      { appointmentId: day.appointments[7]?.id, status: 'entered-in-error' },
    ]);
    expect(plan.assignments.map((a) => a.appointmentId)).not.toContain(day.appointments[3]?.id);
  });

  it('rejects a lot without capacity, an unknown entrance and a kind it cannot allocate, naming the item', () => {
    const day = syntheticDay(1, { appointmentCount: 5 });
    const failure = (d: AllocationDay): { code: string; path: string | undefined } => {
      try {
        allocate(d);
      } catch (err) {
        if (isCitybayError(err)) return { code: err.code, path: err.path };
        throw err;
      }
      throw new Error('expected a failure');
    };
    const emptyLot = {
      ...day,
      lots: day.lots.map((lot, l) => (l === 2 ? { ...lot, zones: [{ id: 'A', capacityByKind: {} }] } : lot)),
    };
    expect(failure(emptyLot)).toEqual({ code: 'CB_ALLOCATION_INVALID', path: 'lots[2].zones' });
    const entrance = {
      ...day,
      appointments: day.appointments.map((a, i) => (i === 3 ? { ...a, entranceId: 'roof' } : a)),
    };
    expect(failure(entrance)).toEqual({ code: 'CB_ALLOCATION_INVALID', path: 'appointments[3].entranceId' });
    const staff = {
      ...day,
      appointments: day.appointments.map((a, i) =>
        i === 1 ? { ...a, needs: { requiredKind: 'staff' as const, preferredKinds: [] } } : a,
      ),
    };
    expect(failure(staff)).toEqual({ code: 'CB_ALLOCATION_INVALID', path: 'appointments[1].needs' });
  });
});
