import type { RoadNetwork } from '../model/index.js';

export type TurnDirection = 'straight' | 'left' | 'right' | 'u-turn';

/** Direction of the turn from edge `fromEdgeId` onto `toEdgeId`, from the junction geometry. */
export function turnDirection(network: RoadNetwork, fromEdgeId: string, toEdgeId: string): TurnDirection {
  const nodes = new Map(network.nodes.map((n) => [n.id, n]));
  const edges = new Map(network.edges.map((e) => [e.id, e]));
  const from = edges.get(fromEdgeId);
  const to = edges.get(toEdgeId);
  const a = nodes.get(from?.fromNodeId ?? '');
  const b = nodes.get(from?.toNodeId ?? '');
  const c = nodes.get(to?.toNodeId ?? '');
  if (a === undefined || b === undefined || c === undefined) return 'straight';
  const heading1 = Math.atan2(b.yM - a.yM, b.xM - a.xM);
  const heading2 = Math.atan2(c.yM - b.yM, c.xM - b.xM);
  let delta = ((heading2 - heading1) * 180) / Math.PI;
  while (delta > 180) delta -= 360;
  while (delta <= -180) delta += 360;
  // y grows northwards (SUMO), so a positive angle is a left turn.
  if (Math.abs(delta) < 30) return 'straight';
  if (Math.abs(delta) > 150) return 'u-turn';
  return delta > 0 ? 'left' : 'right';
}

/**
 * A route as a person reads it: the streets driven (consecutive edges of one street merged, at most
 * three named) and the last turn into the destination, e.g. "Via Binjiang Rd, turn right into P2 (gate B)".
 */
export function describeRoute(network: RoadNetwork, edgeIds: readonly string[], destination: string): string {
  const edges = new Map(network.edges.map((e) => [e.id, e]));
  const streets: string[] = [];
  for (const id of edgeIds) {
    const name = edges.get(id)?.name ?? id;
    if (streets.at(-1) !== name) streets.push(name);
  }
  const last = edgeIds.at(-1);
  const beforeLast = edgeIds.at(-2);
  const turn = last !== undefined && beforeLast !== undefined ? turnDirection(network, beforeLast, last) : 'straight';
  const action =
    turn === 'straight'
      ? `continue into ${destination}`
      : turn === 'u-turn'
        ? `turn round into ${destination}`
        : `turn ${turn} into ${destination}`;
  const shown = streets.length > 3 ? [...streets.slice(0, 2), streets.at(-1) ?? ''] : streets;
  const via =
    shown.length === 0
      ? ''
      : `Via ${shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}` : shown[0]}, `;
  const text = `${via}${action}`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}
