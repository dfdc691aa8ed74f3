import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/cli/scenario-loader.js';
import { createRouter } from '../../src/routing/shortest-paths.js';
import {
  checkScenarioReferences,
  prepareScenarioRun,
  type ResolvedScenario,
  runScenario,
} from '../../src/scenario/run-scenario.js';
import { parseSumoRoutes } from '../../src/sumo/sumo-routes.js';

const SCENARIO = new URL('../fixtures/small-district/scenario-sumo.yaml', import.meta.url).pathname;

function withRoutes(scenario: ResolvedScenario, body: string): ResolvedScenario {
  return { ...scenario, sumoRoutes: [parseSumoRoutes(`<routes>${body}</routes>`, 'extra.rou.xml')] };
}

function failure(run: () => unknown): { code?: string; path?: string; message: string } {
  try {
    run();
  } catch (err) {
    return err as { code?: string; path?: string; message: string };
  }
  throw new Error('expected an error');
}

describe('SUMO demand in a scenario', () => {
  let scenario: ResolvedScenario;
  beforeAll(() => {
    scenario = loadScenario(SCENARIO);
  });

  it('turns vehicles, flows and parkingArea stops into trips beside the appointments and background flows', () => {
    const prepared = prepareScenarioRun(scenario);
    const { trips } = prepared.input;
    const byId = new Map(trips.map((trip, i) => [trip.id, { trip, flow: prepared.flowOf![i] }]));
    expect(byId.get('visit1')).toMatchObject({
      trip: { purpose: 'park', lotId: 'H', stayS: 1800, departS: 7 * 3600 + 600, originEdgeId: 'in_w1' },
      flow: 'sumo:vehicles',
    });
    expect(byId.get('visit1')!.trip.returnDestinationEdgeId).toBeUndefined();
    // `until` counts from SUMO time 0 (midnight): the stay runs from the free-flow arrival to 08:30.
    const router = createRouter(scenario.network);
    const driveS = router.shortestPath('f_e', 'h_gate')!.costS;
    expect(byId.get('visit2')!.trip.stayS).toBeCloseTo(8.5 * 3600 - (26000 + driveS), 6);
    const eastbound = trips.filter((trip) => trip.id.startsWith('eastbound.'));
    expect(eastbound).toHaveLength(120);
    expect(eastbound[1]).toMatchObject({ purpose: 'through', departS: 7 * 3600 + 30, destinationEdgeId: 'e_f' });
    expect(prepared.flowOf![trips.indexOf(eastbound[0]!)]).toBe('sumo:eastbound');
    expect(trips.filter((trip) => trip.id.startsWith('lorries.'))).toHaveLength(6);
    expect(trips.some((trip) => trip.id.startsWith('bikes.') || trip.id === 'early')).toBe(false);
    expect(byId.get('detour')!.trip).toMatchObject({
      purpose: 'through',
      originEdgeId: 'in_w1',
      destinationEdgeId: 'e_f',
    });
    expect(prepared.demand.sumoTrips).toBe(2 + 120 + 6 + 1);
    const codes = prepared.warnings!.map((w) => w.code);
    expect(codes).toEqual(
      expect.arrayContaining([
        'W_SUMO_SKIPPED',
        'W_SUMO_VEHICLE_CLASS',
        'W_SUMO_ROUTE_CHANGED',
        'W_SUMO_OUTSIDE_PERIOD',
      ]),
    );
    expect(prepared.warnings!.find((w) => w.code === 'W_SUMO_ROUTE_CHANGED')).toMatchObject({
      path: 'sumo-demand.rou.xml',
      message: expect.stringMatching(/^line \d+, routes\.trip\[0\]: "detour": via/),
    });
    expect(prepared.warnings!.find((w) => w.code === 'W_SUMO_VEHICLE_CLASS')!.message).toMatch(/\(and 5 more\)$/);
  });

  it('runs them in the link model and reports the warnings with the results', () => {
    const result = runScenario(scenario);
    expect(result.demand.sumoTrips).toBe(129);
    expect(result.warnings.map((w) => w.code)).toContain('W_SUMO_SKIPPED');
  });

  it('draws probability flows and route distributions from the run seed, the same for every policy', () => {
    const body = `<routeDistribution id="rd"><route id="a" edges="in_w1 in_w2" probability="1"/><route id="b" edges="f_e e_h" probability="3"/></routeDistribution>
      <flow id="p" route="rd" begin="7:00:00" end="8:00:00" probability="0.2"/>`;
    const resolved = withRoutes(scenario, body);
    const one = prepareScenarioRun(resolved, { policyName: 'baseline' }).input.trips.filter((t) =>
      t.id.startsWith('p.'),
    );
    const two = prepareScenarioRun(resolved, { policyName: 'signs' }).input.trips.filter((t) => t.id.startsWith('p.'));
    const other = prepareScenarioRun(resolved, { seed: 99 }).input.trips.filter((t) => t.id.startsWith('p.'));
    expect(one).toEqual(two);
    expect(one.length).toBeGreaterThan(600);
    expect(one.length).toBeLessThan(840);
    expect(other.map((t) => t.departS)).not.toEqual(one.map((t) => t.departS));
    const fromF = one.filter((t) => t.originEdgeId === 'f_e').length / one.length;
    expect(fromF).toBeGreaterThan(0.65);
    expect(fromF).toBeLessThan(0.85);
  });

  it('sends a parked car on along the rest of its route', () => {
    const resolved = withRoutes(
      { ...scenario, network: { ...scenario.network, connections: [] } },
      `<vehicle id="on" depart="7:00:00"><route edges="in_w1 in_w2 h_e e_f"/><stop parkingArea="H2" duration="60"/></vehicle>`,
    );
    resolved.lots = [...scenario.lots, { ...scenario.lots[0]!, id: 'H2', entryEdgeId: 'in_w2', exitEdgeId: 'in_w2' }];
    const trip = prepareScenarioRun(resolved).input.trips.find((t) => t.id === 'on')!;
    expect(trip).toMatchObject({ purpose: 'park', lotId: 'H2', returnDestinationEdgeId: 'e_f' });
  });

  it.each([
    [
      '<vehicle id="x" depart="7:00:00" from="in_w1" to="h_gate"><stop parkingArea="Q" duration="5"/></vehicle>',
      'routes.vehicle[0].stop[0].parkingArea',
    ],
    ['<vehicle id="x" depart="7:00:00"><route edges="in_w1 h_e"/></vehicle>', 'routes.vehicle[0].edges'],
    ['<vehicle id="x" depart="7:00:00"><route edges="in_w1 nowhere"/></vehicle>', 'routes.vehicle[0].edges'],
    ['<trip id="x" depart="7:00:00" from="nowhere" to="e_f"/>', 'routes.trip[0].from'],
    [
      '<vehicle id="x" depart="7:00:00"><route edges="in_w1 in_w2 h_e"/><stop parkingArea="H" duration="5"/></vehicle>',
      'routes.vehicle[0].stop[0].parkingArea',
    ],
  ])('refuses %s naming %s', (body, path) => {
    const err = failure(() => prepareScenarioRun(withRoutes(scenario, body)));
    expect(err.code).toBe('CB_SUMO_ROUTES_INVALID');
    expect(err.path).toBe(path);
    expect(err.message).toMatch(/^extra\.rou\.xml:1: /);
  });

  it('refuses a SUMO vehicle id that an appointment or flow already has', () => {
    const err = failure(() =>
      prepareScenarioRun(withRoutes(scenario, '<trip id="through.0" depart="7:00:00" from="in_w1" to="e_f"/>')),
    );
    expect(err.code).toBe('CB_DEMAND_INVALID');
  });

  it('refuses to run a scenario whose SUMO files were not read, rather than drop their demand', () => {
    const { sumoRoutes: _, ...unread } = scenario;
    const err = failure(() => prepareScenarioRun(unread));
    expect(err).toMatchObject({ code: 'CB_SCENARIO_INVALID', path: 'demand.sumoRoutes.files' });
    // checkScenarioReferences (what a service calls on submission) refuses it, and a bad SUMO route, at once.
    expect(failure(() => checkScenarioReferences(unread)).code).toBe('CB_SCENARIO_INVALID');
    const bad = withRoutes(scenario, '<trip id="x" depart="7:00:00" from="nowhere" to="e_f"/>');
    expect(failure(() => checkScenarioReferences(bad)).code).toBe('CB_SUMO_ROUTES_INVALID');
    checkScenarioReferences(scenario);
  });
});
