import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/cli/scenario-loader.js';
import { prepareScenarioRun, type ResolvedScenario } from '../../src/scenario/run-scenario.js';

const SCENARIO = new URL('../fixtures/small-district/scenario.yaml', import.meta.url).pathname;

function withDocument(change: (document: ResolvedScenario['document']) => void): ResolvedScenario {
  const scenario = loadScenario(SCENARIO);
  const document = structuredClone(scenario.document);
  change(document);
  return { ...scenario, document };
}

describe('warnings for accepted but suspicious input', () => {
  it('has none for the small district as shipped', () => {
    expect(prepareScenarioRun(loadScenario(SCENARIO)).warnings).toEqual([]);
  });

  it('warns when origin shares do not add up to 1', () => {
    const scenario = withDocument((d) => (d.demand.origins[1]!.share = 0.5));
    expect(prepareScenarioRun(scenario).warnings).toEqual([
      expect.objectContaining({
        code: 'W_DEMAND_ORIGIN_SHARES',
        path: 'demand.origins',
        message: expect.stringMatching(/1\.2/),
      }),
    ]);
  });

  it('warns when an approach branch is not one road back from the gate', () => {
    const scenario = withDocument((d) => (d.approach[0] = ['h_gate', 'in_w1', 'in_w2']));
    const warnings = prepareScenarioRun(scenario).warnings!;
    expect(warnings.map((w) => [w.code, w.path])).toEqual([
      ['W_SCENARIO_APPROACH_GAP', 'approach[0][1]'],
      ['W_SCENARIO_APPROACH_GAP', 'approach[0][2]'],
    ]);
  });

  it('warns about a sign no car heading for a lot passes', () => {
    const scenario = withDocument((d) => d.signs!.push({ id: 'S3', edgeId: 'e_f' }));
    const warnings = prepareScenarioRun(scenario).warnings!;
    expect(warnings).toEqual([expect.objectContaining({ code: 'W_SCENARIO_SIGN_UNPASSED', path: 'signs[2].edgeId' })]);
  });

  it('warns of an origin with no way home when lots have exits', () => {
    const scenario = loadScenario(SCENARIO);
    scenario.lots = scenario.lots.map((lot) => ({ ...lot, exitEdgeId: 'h_m' }));
    scenario.network = { ...scenario.network, edges: scenario.network.edges.filter((edge) => edge.id !== 'e_f') };
    scenario.document = structuredClone(scenario.document);
    scenario.document.demand.background = [];
    const warnings = prepareScenarioRun(scenario).warnings!;
    expect(warnings.map((w) => [w.code, w.path])).toEqual([['W_DEMAND_NO_RETURN', 'demand.origins[1]']]);
    const trip = prepareScenarioRun(scenario).input.trips.find(
      (t) => t.purpose === 'park' && t.originEdgeId === 'in_w1',
    );
    expect(trip?.returnDestinationEdgeId).toBe('m_w');
  });
});
