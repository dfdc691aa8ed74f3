import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkSumoReferences } from '../../src/sumo/sumo-references.js';
import { parseSumoRoutes } from '../../src/sumo/sumo-routes.js';
import { parseSumoTimeS } from '../../src/sumo/sumo-values.js';
import { requireSumo } from '../helpers/require-sumo.js';

const GAME = '/usr/share/sumo/tools/game';
const REAL = '/usr/share/sumo/tools/sumolib/scenario/scenarios/RealWorld';
const read = (path: string) => parseSumoRoutes(readFileSync(path, 'utf8'), path);

function failure(text: string): { code?: string; path?: string; message: string } {
  try {
    checkSumoReferences([parseSumoRoutes(text, 'bad.rou.xml')]);
  } catch (err) {
    return err as { code?: string; path?: string; message: string };
  }
  throw new Error('expected an error');
}

const wrap = (body: string) => `<routes>\n${body}\n</routes>`;

describe('parseSumoRoutes on SUMO’s own example files', () => {
  it('reads probability flows (grid6)', () => {
    requireSumo();
    const file = read(`${GAME}/grid6/grid6.rou.xml`);
    expect(file.demand).toHaveLength(12);
    expect(file.demand[0]).toMatchObject({
      element: 'flow',
      id: 'leftRight',
      fromEdgeId: 'left_in',
      toEdgeId: 'right_out',
      beginS: 0,
      endS: 90000,
      spacing: { kind: 'probability', perSecond: 0.125 },
    });
  });

  it('reads route and vType distributions with periodic flows (kuehne)', () => {
    requireSumo();
    const file = read(`${GAME}/kuehne/kuehne.rou.xml`);
    expect(file.routeDistributions.map((d) => [d.id, d.members.length])).toEqual([
      ['horizontal', 4],
      ['vertical', 4],
    ]);
    expect(file.vTypeDistributions[0]).toMatchObject({
      id: 'vtdist',
      typeIds: ['trolley', 'ant'],
      probabilities: [0.2, 0.8],
    });
    expect(file.demand[0]).toMatchObject({
      routeId: 'horizontal',
      typeId: 'vtdist',
      spacing: { kind: 'period', periodS: 2 },
    });
    checkSumoReferences([file]);
  });

  it('reads vehicles with routes written inside (A10KW, duarouter output)', () => {
    requireSumo();
    const file = read(`${GAME}/A10KW/osm.passenger.rou.xml`);
    expect(file.demand).toHaveLength(1653);
    expect(file.demand[0]!.edgeIds!.length).toBeGreaterThan(1);
    expect(file.demand.every((item) => item.departS !== undefined)).toBe(true);
  });

  it('resolves vTypes defined in another file (RiLSA: vtypes.add.xml)', () => {
    requireSumo();
    const routes = read(`${REAL}/RiLSA_example1/routes.rou.xml`);
    expect(() => checkSumoReferences([routes])).toThrow(/unknown vType "LKW"/);
    checkSumoReferences([read(`${REAL}/RiLSA_example1/vtypes.add.xml`), routes]);
  });

  it('counts persons and skips them (DRT rides)', () => {
    requireSumo();
    expect(read(`${GAME}/DRT/rides.xml`).skipped).toEqual({ person: 17 });
  });
});

describe('parseSumoRoutes forms', () => {
  it('reads parkingArea stops, depart forms and flows by number', () => {
    const file = parseSumoRoutes(
      wrap(`<vType id="car" vClass="passenger" length="5" minGap="0"/>
  <route id="r1" edges="a b c"><stop parkingArea="pa1" duration="1800"/></route>
  <vehicle id="v1" type="car" depart="7:30:00" route="r1" departPos="last" departLane="best" departSpeed="max"/>
  <vehicle id="v2" depart="100.5" departPos="-10"><route edges="a b"/><stop parkingArea="pa1" until="9:00:00"/></vehicle>
  <trip id="t1" depart="begin" from="a" to="c" via="b"/>
  <flow id="f1" from="a" to="c" begin="0" end="600" number="10"/>
  <flow id="f2" route="r1" begin="60" vehsPerHour="120" number="5"/>
  <flow id="f3" from="a" to="b" begin="0" end="3600" period="exp(0.01)"/>`),
      'forms.rou.xml',
    );
    const [v1, v2, t1, f1, f2, f3] = file.demand;
    expect(file.routes[0]!.stops[0]).toMatchObject({ parkingAreaId: 'pa1', durationS: 1800 });
    expect(v1).toMatchObject({ departS: 27000, routeId: 'r1', typeId: 'car' });
    expect(v2).toMatchObject({ departS: 100.5, edgeIds: ['a', 'b'], typeId: 'DEFAULT_VEHTYPE' });
    expect(v2!.stops[0]).toMatchObject({ parkingAreaId: 'pa1', untilS: 32400 });
    expect(t1).toMatchObject({ departS: 0, fromEdgeId: 'a', toEdgeId: 'c', viaEdgeIds: ['b'] });
    expect(f1).toMatchObject({ beginS: 0, endS: 600, number: 10, spacing: { kind: 'period', periodS: 60 } });
    expect(f2).toMatchObject({ beginS: 60, number: 5, spacing: { kind: 'period', periodS: 30 } });
    expect(f2!.endS).toBe(Number.POSITIVE_INFINITY);
    expect(f3).toMatchObject({ spacing: { kind: 'exponential', ratePerS: 0.01 } });
  });

  it('reads SUMO times', () => {
    expect(parseSumoTimeS('25200')).toBe(25200);
    expect(parseSumoTimeS('7:00:00')).toBe(25200);
    expect(parseSumoTimeS('1:07:00:00')).toBe(111600);
    expect(parseSumoTimeS('7:75:00')).toBeUndefined();
    expect(parseSumoTimeS('-5')).toBeUndefined();
    expect(parseSumoTimeS('soon')).toBeUndefined();
  });

  it.each([
    ['<flow id="f" from="a" to="b" period="0"/>', 'routes.flow[0].period'],
    ['<flow id="f" from="a" to="b" period="2" vehsPerHour="10"/>', 'routes.flow[0].period'],
    ['<flow id="f" from="a" to="b" probability="1.5"/>', 'routes.flow[0].probability'],
    ['<flow id="f" from="a" to="b"/>', 'routes.flow[0].number'],
    ['<flow id="f" from="a" to="b" begin="0" end="3600" period="0.0001"/>', 'routes.flow[0].period'],
    ['<flow id="f" from="a" to="b" begin="100" end="50" period="1"/>', 'routes.flow[0].end'],
    ['<vehicle id="v" depart="triggered" route="r"/>', 'routes.vehicle[0].depart'],
    ['<vehicle id="v" depart="soon" route="r"/>', 'routes.vehicle[0].depart'],
    ['<vehicle id="v" route="r"/>', 'routes.vehicle[0].depart'],
    ['<vehicle id="v" depart="0" departPos="middle" from="a" to="b"/>', 'routes.vehicle[0].departPos'],
    ['<vehicle id="v" depart="0" departLane="-1" from="a" to="b"/>', 'routes.vehicle[0].departLane'],
    ['<vehicle id="v" depart="0"/>', 'routes.vehicle[0].route'],
    ['<vehicle id="v" depart="0" route="nope"/>', 'routes.vehicle[0].route'],
    ['<vehicle id="v" depart="0" type="lorry" from="a" to="b"/>', 'routes.vehicle[0].type'],
    ['<trip id="t" depart="0" fromJunction="J1" toJunction="J2"/>', 'routes.trip[0].fromJunction'],
    ['<trip id="t" depart="0" from="a"/>', 'routes.trip[0].to'],
    [
      '<vehicle id="v" depart="0" from="a" to="b"><stop parkingArea="p"/></vehicle>',
      'routes.vehicle[0].stop[0].duration',
    ],
    ['<vehicle id="v" depart="0" from="a" to="b"><stop duration="5"/></vehicle>', 'routes.vehicle[0].stop[0]'],
    ['<vType id="t" vClass="hovercraft"/>', 'routes.vType[0].vClass'],
    ['<vType id="t" length="-1"/>', 'routes.vType[0].length'],
    ['<route id="r" edges=""/>', 'routes.route[0].edges'],
    ['<route id="r" edges="a"/><route id="r" edges="b"/>', 'routes.route[1].id'],
    ['<vehicle id="v" depart="0" from="a" to="b"/><trip id="v" depart="1" from="a" to="b"/>', 'routes.trip[0].id'],
    ['<interval begin="0" end="1"/>', 'routes.interval[0]'],
    ['<bogus/>', 'routes.bogus[0]'],
  ])('refuses %s naming %s', (body, path) => {
    const err = failure(wrap(body));
    expect(err.code).toBe('CB_SUMO_ROUTES_INVALID');
    expect(err.path).toBe(path);
    expect(err.message).toMatch(/^bad\.rou\.xml:\d+: /);
  });

  it('names the line of XML that is not well-formed', () => {
    const err = failure('<routes>\n<vType id="car"/>\n<vehicle id="v" depart="0 from="a"/>\n</routes>');
    expect(err.code).toBe('CB_SUMO_ROUTES_INVALID');
    expect(err.message).toMatch(/^bad\.rou\.xml:3:\d+: not well-formed XML/);
  });

  it('refuses a file that is not a route file', () => {
    expect(failure('<net/>').path).toBe('net');
  });
});
