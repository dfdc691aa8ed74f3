import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { isCitybayError } from '@citybay/common';
import { describe, expect, it } from 'vitest';
import { parseAnyNetwork } from '../../src/network/network-file.js';
import { parseSumoNet } from '../../src/network/sumo-net.js';
import { runTrafficSimulation } from '../../src/traffic/traffic-simulation.js';

const DISTRICT = new URL('../../scenarios/hospital-district/hospital-district.net.xml', import.meta.url);

describe('parseSumoNet', () => {
  it('imports edges, lanes, lengths, speeds, priorities and edge-level connections from netconvert output', () => {
    const network = parseSumoNet(readFileSync(DISTRICT, 'utf8'), 'hospital-district.net.xml');
    expect(network.edges).toHaveLength(26);
    const arterial = network.edges.find((edge) => edge.id === 'e_W1W2');
    expect(arterial).toMatchObject({ fromNodeId: 'W1', toNodeId: 'W2', laneCount: 2, priority: 3 });
    expect(arterial?.speedMps).toBeCloseTo(13.89, 2);
    expect(arterial?.lengthM).toBeGreaterThan(550);
    expect(network.edges.some((edge) => edge.id.startsWith(':'))).toBe(false);
    const turn = network.connections.find((c) => c.fromEdgeId === 'e_W4J0' && c.toEdgeId === 'h_access');
    const straight = network.connections.find((c) => c.fromEdgeId === 'e_W4J0' && c.toEdgeId === 'e_J0E1');
    expect(turn?.viaLengthM).toBeGreaterThan(0);
    // The left turn waits inside the junction: its crossing is two internal lanes (:J0_5_0, 2.37 m, then :J0_6_0,
    // 12.20 m, both 8.10 m/s), the whole of which SUMO drives and duarouter counts, not the first alone.
    expect(turn!.viaLengthM).toBeCloseTo(2.37 + 12.2, 6);
    expect(turn!.viaLengthM! / turn!.viaSpeedMps!).toBeCloseTo((2.37 + 12.2) / 8.1, 6);
    // A turn is crossed slower than the straight way through the junction.
    expect(turn!.viaSpeedMps!).toBeLessThan(straight!.viaSpeedMps!);
    expect(network.connections.some((c) => c.fromEdgeId === 'e_W4J0' && c.toEdgeId === 'w_J0W4')).toBe(false);
    expect(network.nodes.find((node) => node.id === 'J0')).toEqual({ id: 'J0', xM: 0, yM: 0 });
  });

  it('keeps street names', () => {
    const net = `<net><junction id="a" x="0" y="0"/><junction id="b" x="1" y="0"/>
      <edge id="ab" from="a" to="b" priority="1" name="Binsheng Road"><lane id="ab_0" index="0" speed="10" length="10"/></edge></net>`;
    expect(parseSumoNet(net, 'named.net.xml').edges[0]?.name).toBe('Binsheng Road');
  });

  it('names the bad field of a broken net', () => {
    const bad = `<net><junction id="a" x="0" y="0"/><junction id="b" x="1" y="0"/>
      <edge id="ab" from="a" to="b" priority="1"><lane id="ab_0" index="0" speed="x" length="10"/></edge></net>`;
    try {
      parseSumoNet(bad, 'bad.net.xml');
      expect.unreachable();
    } catch (err) {
      expect(isCitybayError(err, 'CB_NETWORK_INVALID')).toBe(true);
      expect((err as { path?: string }).path).toBe('net.edge[0].lane[0].speed');
    }
    expect(() => parseSumoNet('<nets/>', 'x.net.xml')).toThrow(/expected a SUMO <net>/);
  });
});

describe('parseSumoNet lane permissions, lane connections, signals', () => {
  const net = `<net>
    <junction id="a" type="dead_end" x="0" y="0" incLanes="" intLanes=""/>
    <junction id="b" type="traffic_light" x="100" y="0" incLanes="ab_0 ab_1 ab_2 fw_0" intLanes="">
      <request index="0" response="00" foes="00" cont="0"/>
      <request index="1" response="01" foes="01" cont="1"/>
    </junction>
    <junction id="c" type="dead_end" x="200" y="0" incLanes="bc_0 bc_1" intLanes=""/>
    <junction id="d" type="dead_end" x="100" y="100" incLanes="" intLanes=""/>
    <edge id="ab" from="a" to="b" priority="2">
      <lane id="ab_0" index="0" allow="pedestrian" speed="2.78" length="99"/>
      <lane id="ab_1" index="1" disallow="pedestrian bicycle" speed="13.89" length="100"/>
      <lane id="ab_2" index="2" allow="bus" speed="13.89" length="100"/>
    </edge>
    <edge id="fw" from="d" to="b" priority="1"><lane id="fw_0" index="0" allow="pedestrian bicycle" speed="5" length="100"/></edge>
    <edge id="bc" from="b" to="c" priority="2">
      <lane id="bc_0" index="0" allow="pedestrian" speed="2.78" length="100"/>
      <lane id="bc_1" index="1" speed="13.89" length="100"/>
    </edge>
    <tlLogic id="b" type="actuated" programID="0" offset="5">
      <param key="max-gap" value="2.5"/>
      <phase duration="31" state="Gr" minDur="5" maxDur="50"/><phase duration="4" state="yr"/><phase duration="20" state="rG"/>
    </tlLogic>
    <tlLogic id="b" type="static" programID="1" offset="0"><phase duration="10" state="GG"/></tlLogic>
    <connection from="ab" to="bc" fromLane="1" toLane="1" tl="b" linkIndex="0" dir="s" state="O"/>
    <connection from="ab" to="bc" fromLane="2" toLane="1" tl="b" linkIndex="1" dir="s" state="o"/>
    <connection from="fw" to="bc" fromLane="0" toLane="0" dir="s" state="m"/>
  </net>`;

  it('keeps only lanes and edges open to passenger cars, with their lane-level connections and signal indices', () => {
    const network = parseSumoNet(net, 'perm.net.xml');
    expect(network.edges.map((edge) => edge.id)).toEqual(['ab', 'bc']);
    expect(network.edges[0]).toMatchObject({ laneCount: 1, lengthM: 100 });
    expect(network.edges[0]!.speedMps).toBeCloseTo(13.89, 2);
    expect(network.connections).toEqual([
      { fromEdgeId: 'ab', toEdgeId: 'bc', fromLane: 0, toLane: 0, junctionLink: 0, tlId: 'b', tlLinkIndex: 0 },
    ]);
    expect(network.signals).toEqual([
      {
        id: 'b',
        type: 'actuated',
        offsetS: 5,
        phases: [
          { durationS: 31, state: 'Gr', minDurS: 5, maxDurS: 50 },
          { durationS: 4, state: 'yr' },
          { durationS: 20, state: 'rG' },
        ],
        // max-gap from the program's <param>, the others SUMO's defaults.
        actuation: { maxGapS: 2.5, detectorGapS: 2, passingTimeS: 1.9 },
      },
    ]);
    // Link 1 waits for its gap inside the junction (cont="1").
    expect(network.junctions).toEqual([
      { nodeId: 'b', type: 'traffic_light', mustYieldTo: [[], [0]], waitsInside: [1] },
    ]);
  });

  it('reads .net.xml.gz and refuses a net with no car lanes', () => {
    const bytes = gzipSync(Buffer.from(net));
    // The CLI's loader unzips `.gz` files; the name still says SUMO.
    expect(parseAnyNetwork(gunzipSync(bytes).toString('utf8'), 'perm.net.xml.gz').edges).toHaveLength(2);
    const footways = net
      .replace('disallow="pedestrian bicycle"', 'allow="pedestrian"')
      .replace('id="bc_1" index="1"', 'id="bc_1" index="1" allow="tram"');
    expect(() => parseSumoNet(footways, 'walk.net.xml')).toThrow(/no edges open to passenger cars/);
  });

  it('names the trip and edges when there is no car route between demand points', () => {
    const network = parseSumoNet(net, 'perm.net.xml');
    expect(() =>
      runTrafficSimulation({
        network,
        lots: [],
        trips: [{ id: 'back', purpose: 'through', departS: 0, originEdgeId: 'bc', destinationEdgeId: 'ab' }],
        startS: 0,
        endS: 60,
      }),
    ).toThrow(/trips\[0\] \("back"\): no car route from edge "bc" to edge "ab"/);
    expect(() =>
      runTrafficSimulation({
        network,
        lots: [],
        trips: [{ id: 'walk', purpose: 'through', departS: 0, originEdgeId: 'fw', destinationEdgeId: 'bc' }],
        startS: 0,
        endS: 60,
      }),
    ).toThrow(/unknown edge "fw"/);
  });
});
