import { readFileSync } from 'node:fs';
import { isCitybayError } from '@citybay/common';
import { describe, expect, it } from 'vitest';
import { parseScenarioFile } from '../../src/scenario/scenario-file.js';
import { DEFAULT_TRAFFIC_PARAMS } from '../../src/traffic/traffic-params.js';

const TEXT = readFileSync(new URL('../fixtures/small-district/scenario.yaml', import.meta.url), 'utf8');

function expectScenarioError(text: string, path: string): void {
  try {
    parseScenarioFile(text, 'scenario.yaml');
  } catch (err) {
    expect(isCitybayError(err, 'CB_SCENARIO_INVALID')).toBe(true);
    expect((err as { path?: string }).path).toBe(path);
    expect((err as Error).message).toMatch(/^scenario\.yaml: /);
    return;
  }
  throw new Error('expected CB_SCENARIO_INVALID');
}

describe('parseScenarioFile', () => {
  it('accepts the test district', () => {
    const document = parseScenarioFile(TEXT, 'scenario.yaml');
    expect(document.policies.map((p) => p.name)).toEqual(['baseline', 'signs', 'pre-assigned']);
    expect(document.approach).toHaveLength(2);
  });

  it('names the path of schema errors', () => {
    expectScenarioError(TEXT.replace('carShare: 0.7', 'carShare: 1.7'), 'demand.carShare');
    expectScenarioError(TEXT.replace('seed: 7', 'seed: -1'), 'seed');
    expectScenarioError(
      TEXT.replace('{ name: signs, guidance: signs }', '{ name: signs, guidance: loud }'),
      'policies[1].guidance',
    );
    expectScenarioError(TEXT.replace('network: network.yaml\n', ''), 'network');
    expectScenarioError(TEXT.replace('signs: [{ id: S1', 'sings: [{ id: S1'), 'sings');
  });

  it('checks times, windows, policy names and drop-off edges', () => {
    expectScenarioError(TEXT.replace('to: "10:30"', 'to: "06:30"'), 'period');
    expectScenarioError(TEXT.replace('window: "07:00-10:00"', 'window: "10:00-07:00"'), 'demand.background[0].window');
    expectScenarioError(TEXT.replace('{ name: signs,', '{ name: baseline,'), 'policies[1].name');
    expectScenarioError(`${TEXT}policy: nope\n`, 'policy');
    expectScenarioError(TEXT.replace('  dropOffEdgeIds: [h_e, h_m]\n', ''), 'demand.dropOffEdgeIds');
    expectScenarioError(TEXT.replace('2026-03-02T00:00:00+01:00', 'last tuesday'), 'date');
  });
});

describe('the traffic block', () => {
  const withTraffic = (block: string) => TEXT.replace(/\npolicies:/, `\ntraffic: ${block}\npolicies:`);

  it('takes every model parameter but the memory guard', () => {
    const settable = Object.keys(DEFAULT_TRAFFIC_PARAMS).filter((key) => key !== 'maxLinkSeriesCells');
    const block = `{ ${settable.map((key) => `${key}: ${key === 'jamSpacingM' ? 7.5 : 1}`).join(', ')} }`;
    const document = parseScenarioFile(withTraffic(block), 'scenario.yaml');
    expect(Object.keys(document.traffic ?? {}).sort()).toEqual(settable.sort());
    expectScenarioError(withTraffic('{ maxLinkSeriesCells: 1e12 }'), 'traffic.maxLinkSeriesCells');
  });

  it('names a bad value', () => {
    expectScenarioError(withTraffic('{ criticalGapS: 0 }'), 'traffic.criticalGapS');
    expectScenarioError(withTraffic('{ stepS: 60 }'), 'traffic.stepS');
    expectScenarioError(withTraffic('{ vehicleLengthM: 9 }'), 'traffic.vehicleLengthM');
    expectScenarioError(withTraffic('{ jamSpacingM: 4 }'), 'traffic.jamSpacingM');
  });
});
