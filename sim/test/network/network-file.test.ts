import { isCitybayError } from '@citybay/common';
import { describe, expect, it } from 'vitest';
import { parseAnyNetwork, parseNetworkFile } from '../../src/network/network-file.js';

const NET = `
nodes:
  - { id: a, x: 0, y: 0 }
  - { id: b, x: 300, y: 400 }
  - { id: c, x: 300, y: 800 }
edges:
  - { id: ab, from: a, to: b, speedKmh: 36, lanes: 2 }
  - { id: ba, from: b, to: a, speedKmh: 36 }
  - { id: bc, from: b, to: c, speedKmh: 18, lengthM: 450, priority: 3 }
`;

function expectNetworkError(text: string, path: string): void {
  try {
    parseNetworkFile(text, 'net.yaml');
  } catch (err) {
    expect(isCitybayError(err, 'CB_NETWORK_INVALID')).toBe(true);
    expect((err as { path?: string }).path).toBe(path);
    return;
  }
  throw new Error('expected CB_NETWORK_INVALID');
}

describe('parseNetworkFile', () => {
  it('derives lengths from coordinates, converts km/h and connects every edge but the U-turn', () => {
    const network = parseNetworkFile(NET, 'net.yaml');
    expect(network.edges[0]).toMatchObject({ id: 'ab', lengthM: 500, speedMps: 10, laneCount: 2, priority: 1 });
    expect(network.edges[2]).toMatchObject({ lengthM: 450, speedMps: 5, priority: 3 });
    expect(network.connections).toEqual([{ fromEdgeId: 'ab', toEdgeId: 'bc' }]);
  });

  it('keeps explicit connections and checks that they touch', () => {
    const withTurns = `${NET}connections:\n  - { from: ab, to: ba }\n`;
    expect(parseNetworkFile(withTurns, 'net.yaml').connections).toEqual([{ fromEdgeId: 'ab', toEdgeId: 'ba' }]);
    expectNetworkError(`${NET}connections:\n  - { from: ba, to: bc }\n`, 'connections[0]');
    expectNetworkError(`${NET}connections:\n  - { from: ab, to: zz }\n`, 'connections[0].to');
  });

  it('names unknown nodes, duplicates and schema problems', () => {
    expectNetworkError(NET.replace('from: b, to: c', 'from: b, to: q'), 'edges[2].to');
    expectNetworkError(NET.replace('id: ba', 'id: ab'), 'edges[1].id');
    expectNetworkError(NET.replace('speedKmh: 18', 'speedKmh: -1'), 'edges[2].speedKmh');
  });

  it('picks the reader by file name', () => {
    expect(parseAnyNetwork(NET, 'x.yaml').edges).toHaveLength(3);
    expect(() => parseAnyNetwork(NET, 'x.net.xml')).toThrow(/SUMO/);
  });
});
