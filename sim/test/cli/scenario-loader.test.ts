import { isCitybayError } from '@citybay/common';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/cli/scenario-loader.js';
import { prepareScenarioRun, runScenario } from '../../src/scenario/run-scenario.js';

const DIR = new URL('../fixtures/small-district/', import.meta.url).pathname;

describe('loadScenario', () => {
  it('reads the network, lots and an appointment CSV relative to the scenario file', () => {
    const scenario = loadScenario(`${DIR}scenario-csv.yaml`);
    expect(scenario.appointments).toHaveLength(6);
    const prepared = prepareScenarioRun(scenario);
    const trips = prepared.input.trips.filter((t) => t.purpose === 'park');
    expect(trips.map((t) => t.id)).toEqual(['c-001', 'c-002', 'c-003', 'c-004', 'c-005', 'c-006']);
    expect(trips.find((t) => t.id === 'c-001')?.originEdgeId).toBe('f_e');
    expect(trips.find((t) => t.id === 'c-003')?.originEdgeId).toBe('in_w1');
    expect(trips.find((t) => t.id === 'c-002')).toMatchObject({ bayKind: 'accessible', isKindRequired: true });
    expect(trips.find((t) => t.id === 'c-003')).toMatchObject({ bayKind: 'family', isKindRequired: false });
    const result = runScenario(scenario);
    expect(result.kpis.parkedCars).toBe(6);
  });

  it('names the scenario field whose file cannot be read, and passes on errors of the files it reads', () => {
    try {
      loadScenario(`${DIR}no-such-scenario.yaml`);
      expect.unreachable();
    } catch (err) {
      expect(isCitybayError(err, 'CB_SCENARIO_INVALID')).toBe(true);
    }
    expect(() => loadScenario(`${DIR}lots.yaml`)).toThrow(/CB_SCENARIO_INVALID|name/);
  });
});
