import { isCitybayError } from '@citybay/common';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/cli/scenario-loader.js';
import type { ResolvedScenario, ScenarioResult } from '../../src/scenario/run-scenario.js';
import { checkScenarioReferences, prepareScenarioRun, runScenario } from '../../src/scenario/run-scenario.js';

const SCENARIO = new URL('../fixtures/small-district/scenario.yaml', import.meta.url).pathname;

describe('runScenario on the small district', () => {
  let scenario: ResolvedScenario;
  const results: Record<string, ScenarioResult> = {};
  beforeAll(() => {
    scenario = loadScenario(SCENARIO);
    for (const name of ['baseline', 'signs']) results[name] = runScenario(scenario, { policyName: name });
  });

  it('queues back from the full hospital lot in the baseline', () => {
    const baseline = results.baseline!;
    expect(baseline.kpis.approachQueueMaxM).toBeGreaterThan(1000);
    expect(baseline.lots.find((lot) => lot.lotId === 'H')?.maxOccupiedBays).toBeGreaterThanOrEqual(150);
    expect(baseline.series.timesS).toHaveLength(211);
  });

  it('shortens the queue and serves more cars with sign guidance', () => {
    const { baseline, signs } = results as Record<'baseline' | 'signs', ScenarioResult>;
    expect(signs.kpis.approachQueueMaxM).toBeLessThan(baseline.kpis.approachQueueMaxM / 2);
    expect(signs.kpis.vehiclesNotServed).toBeLessThan(baseline.kpis.vehiclesNotServed);
    expect(signs.lots.find((lot) => lot.lotId === 'P')!.parkedCars).toBeGreaterThan(20);
  });

  it('keeps the same patients across policies (common random numbers) and a different day for another seed', () => {
    const a = prepareScenarioRun(scenario, { policyName: 'baseline' });
    const b = prepareScenarioRun(scenario, { policyName: 'signs' });
    expect(a.demand).toEqual(b.demand);
    expect(a.input.trips.map((t) => t.departS)).toEqual(b.input.trips.map((t) => t.departS));
    const other = prepareScenarioRun(scenario, { policyName: 'baseline', seed: 8 });
    expect(other.input.trips.map((t) => t.departS)).not.toEqual(a.input.trips.map((t) => t.departS));
    // Every driver drew its speed factor (SUMO's normc(1, 0.1, 0.2, 2)), the same under both policies.
    const factors = a.input.trips.map((t) => t.speedFactor!);
    expect(factors.every((f) => f >= 0.2 && f <= 2)).toBe(true);
    expect(new Set(factors).size).toBeGreaterThan(factors.length / 2);
    expect(b.input.trips.map((t) => t.speedFactor)).toEqual(factors);
  });

  it('pre-assigns cars to lots with the bay allocator', () => {
    const prepared = prepareScenarioRun(scenario, { policyName: 'pre-assigned' });
    const parked = prepared.input.trips.filter((t) => t.purpose === 'park');
    expect(parked.every((t) => t.isPreAssigned === true || t.lotId === 'H')).toBe(true);
    expect(parked.filter((t) => t.lotId === 'P').length).toBeGreaterThan(50);
  });

  it('rejects references to edges the network does not have', () => {
    const broken = structuredClone(scenario);
    broken.document.demand.origins[1]!.edgeId = 'nowhere';
    try {
      runScenario(broken);
      expect.unreachable();
    } catch (err) {
      expect(isCitybayError(err, 'CB_SCENARIO_INVALID')).toBe(true);
      expect((err as { path?: string }).path).toBe('demand.origins[1].edgeId');
    }
  });
});

describe('checkScenarioReferences', () => {
  it('passes a scenario whose references all exist, and names the first that does not', () => {
    const scenario = loadScenario(SCENARIO);
    expect(() => checkScenarioReferences(scenario)).not.toThrow();
    const badSign = { ...scenario, document: { ...scenario.document, signs: [{ id: 'S9', edgeId: 'gone' }] } };
    const pathOf = (resolved: ResolvedScenario): unknown => {
      try {
        checkScenarioReferences(resolved);
      } catch (err) {
        return isCitybayError(err) ? `${err.code} ${err.path}` : err;
      }
      return undefined;
    };
    expect(pathOf(badSign)).toBe('CB_SCENARIO_INVALID signs[0].edgeId');
    const badRole = { ...scenario, document: { ...scenario.document, lotRoles: { NOPE: 'shared' as const } } };
    expect(pathOf(badRole)).toBe('CB_SCENARIO_INVALID lotRoles.NOPE');
  });
});
