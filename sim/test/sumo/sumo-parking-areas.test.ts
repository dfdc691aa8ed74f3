import { describe, expect, it } from 'vitest';
import { parseLotsFile } from '../../src/scenario/lots-file.js';
import { parseSumoParkingAreas } from '../../src/sumo/sumo-parking-areas.js';

const ADDITIONAL = `<?xml version="1.0" encoding="UTF-8"?>
<additional>
  <busStop id="bs" lane="x_0" startPos="0" endPos="10"/>
  <parkingArea id="H" name="Hospital garage" lane="h_gate_0" startPos="5" endPos="60" roadsideCapacity="400">
    <param key="citybay.gateRateVehPerHour" value="400"/>
    <param key="citybay.bays.accessible" value="20"/>
    <param key="citybay.walkTimeS.main" value="90"/>
    <param key="citybay.openingHours" value="06:00-22:00"/>
    <param key="other.tool" value="ignored"/>
  </parkingArea>
  <parkingArea id="P2" lane="p2_gate_1" roadsideCapacity="0">
    <space x="0" y="0"/><space x="0" y="5"/><space x="0" y="10"/>
  </parkingArea>
</additional>`;

function failure(text: string): { code?: string; path?: string; message: string } {
  try {
    parseLotsFile(text, 'bad.add.xml');
  } catch (err) {
    return err as { code?: string; path?: string; message: string };
  }
  throw new Error('expected an error');
}

describe('SUMO parkingArea additionals as lots', () => {
  it('reads capacity, gate rate, kinds, walking times and opening hours', () => {
    const [hospital, p2] = parseLotsFile(ADDITIONAL, 'parking.add.xml');
    expect(hospital).toMatchObject({
      id: 'H',
      name: 'Hospital garage',
      entryEdgeId: 'h_gate',
      zones: [{ id: 'main', capacityByKind: { standard: 380, accessible: 20 } }],
      walkTimeSByEntrance: { main: 90 },
      openingHours: [{ fromMin: 360, toMin: 1320 }],
      sumoParkingArea: { laneId: 'h_gate_0', startPosM: 5, endPosM: 60 },
    });
    expect(hospital!.gateServiceVehPerMin).toBeCloseTo(400 / 60);
    // Capacity from <space> children; the default gate rate is the lane's saturation flow.
    expect(p2).toMatchObject({
      entryEdgeId: 'p2_gate',
      zones: [{ capacityByKind: { standard: 3 } }],
      gateServiceVehPerMin: 30,
    });
    expect(parseSumoParkingAreas(ADDITIONAL, 'parking.add.xml').map((a) => [a.id, a.capacityBays])).toEqual([
      ['H', 400],
      ['P2', 3],
    ]);
  });

  it.each([
    ['<parkingArea id="A" lane="e" roadsideCapacity="5"/>', 'additional.parkingArea[0].lane'],
    ['<parkingArea id="A" lane="e_0"/>', 'additional.parkingArea[0].roadsideCapacity'],
    ['<parkingArea id="A" lane="e_0" roadsideCapacity="2.5"/>', 'additional.parkingArea[0].roadsideCapacity'],
    [
      '<parkingArea id="A" lane="e_0" roadsideCapacity="5" startPos="20" endPos="10"/>',
      'additional.parkingArea[0].endPos',
    ],
    ['<parkingArea lane="e_0" roadsideCapacity="5"/>', 'additional.parkingArea[0].id'],
    [
      '<parkingArea id="A" lane="e_0" roadsideCapacity="5"/><parkingArea id="A" lane="f_0" roadsideCapacity="5"/>',
      'additional.parkingArea[1].id',
    ],
    [
      '<parkingArea id="A" lane="e_0" roadsideCapacity="5"><param key="citybay.gateRateVehPerHour" value="0"/></parkingArea>',
      'additional.parkingArea[0].param[0].key="citybay.gateRateVehPerHour"',
    ],
    [
      '<parkingArea id="A" lane="e_0" roadsideCapacity="5"><param key="citybay.bays.vip" value="1"/></parkingArea>',
      'additional.parkingArea[0].param[0].key="citybay.bays.vip"',
    ],
    [
      '<parkingArea id="A" lane="e_0" roadsideCapacity="5"><param key="citybay.bays.ev" value="9"/></parkingArea>',
      'additional.parkingArea[0].param',
    ],
    [
      '<parkingArea id="A" lane="e_0" roadsideCapacity="5"><param key="citybay.openingHours" value="9-5"/></parkingArea>',
      'additional.parkingArea[0].param[0].key="citybay.openingHours"',
    ],
    [
      '<parkingArea id="A" lane="e_0" roadsideCapacity="5"><param key="citybay.gateRate" value="5"/></parkingArea>',
      'additional.parkingArea[0].param[0].key="citybay.gateRate"',
    ],
    ['<busStop id="b" lane="e_0"/>', 'additional'],
  ])('refuses %s naming %s', (body, path) => {
    const err = failure(`<additional>\n${body}\n</additional>`);
    expect(err.code).toBe('CB_SUMO_ADDITIONAL_INVALID');
    expect(err.path).toBe(path);
  });

  it('refuses XML that is not an additional file, and broken XML with its line', () => {
    expect(failure('<routes/>').code).toBe('CB_SUMO_ADDITIONAL_INVALID');
    expect(failure('<additional>\n<parkingArea id="A"\n</additional>').message).toMatch(
      /^bad\.add\.xml:3:\d+: not well-formed/,
    );
  });

  it('still reads YAML lots files', () => {
    const [lot] = parseLotsFile(
      'lots: [{ id: A, entryEdgeId: e, gateServiceVehPerMin: 2, capacityByKind: { standard: 3 } }]',
      'lots.yaml',
    );
    expect(lot!.sumoParkingArea).toBeUndefined();
  });
});
