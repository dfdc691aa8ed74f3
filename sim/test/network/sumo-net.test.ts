import { readFileSync } from 'node:fs';
import { isCitybayError } from '@citybay/common';
import { describe, expect, it } from 'vitest';
import { parseSumoNet } from '../../src/network/sumo-net.js';

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
