import { describe, expect, it } from 'vitest';
import { describeRoute, turnDirection } from '../../src/routing/route-text.js';
import { gridNetwork } from './grid-network.js';

const network = gridNetwork(4);
for (const edge of network.edges) {
  const sameRow = edge.fromNodeId.split('_')[1] === edge.toNodeId.split('_')[1];
  edge.name = sameRow ? `Row ${edge.fromNodeId.split('_')[1]} Rd` : `Col ${edge.fromNodeId.slice(1).split('_')[0]} Ave`;
}

describe('turnDirection', () => {
  it('reads left, right, straight and u-turn from the junction geometry (y grows north)', () => {
    expect(turnDirection(network, 'n0_0-n1_0', 'n1_0-n2_0')).toBe('straight');
    expect(turnDirection(network, 'n0_0-n1_0', 'n1_0-n1_1')).toBe('left');
    expect(turnDirection(network, 'n1_1-n1_0', 'n1_0-n2_0')).toBe('left');
    expect(turnDirection(network, 'n1_1-n1_0', 'n1_0-n0_0')).toBe('right');
    expect(turnDirection(network, 'n0_0-n1_0', 'n1_0-n0_0')).toBe('u-turn');
  });
});

describe('describeRoute', () => {
  it('names each street once and ends with the turn into the lot', () => {
    const text = describeRoute(network, ['n0_0-n1_0', 'n1_0-n2_0', 'n2_0-n2_1', 'n2_1-n2_2'], 'Hospital south (P2)');
    expect(text).toBe('Via Row 0 Rd and Col 2 Ave, continue into Hospital south (P2)');
    expect(describeRoute(network, ['n0_0-n1_0', 'n1_0-n1_1'], 'P1')).toBe(
      'Via Row 0 Rd and Col 1 Ave, turn left into P1',
    );
  });

  it('keeps long routes short: the first two streets and the last', () => {
    const text = describeRoute(network, ['n0_0-n1_0', 'n1_0-n1_1', 'n1_1-n2_1', 'n2_1-n2_2', 'n2_2-n3_2'], 'P3');
    expect(text).toBe('Via Row 0 Rd, Col 1 Ave and Row 2 Rd, turn right into P3');
  });
});
