import type { RoadNetwork } from '../model/index.js';
import type { Router } from '../routing/shortest-paths.js';
import type { Trip } from '../traffic/trip.js';
import type { ScenarioDocument } from './scenario-file.js';
import type { WarningList } from './run-warning.js';

/** Origin shares are weights; a set that does not add up to 1 is usually a typo (0.5 + 0.3 + 0.3). */
export function warnOriginShares(document: ScenarioDocument, warnings: WarningList): void {
  const total = document.demand.origins.reduce((sum, origin) => sum + origin.share, 0);
  if (Math.abs(total - 1) > 1e-6) {
    warnings.add(
      'W_DEMAND_ORIGIN_SHARES',
      'demand.origins',
      `shares add up to ${Math.round(total * 1000) / 1000}, not 1: each origin gets its share / ${Math.round(total * 1000) / 1000}`,
    );
  }
}

/** Each approach branch runs from the gate back along one road: every edge must lead into the one before it. */
export function warnApproachGaps(document: ScenarioDocument, router: Router, warnings: WarningList): void {
  for (const [b, branch] of document.approach.entries()) {
    for (let i = 1; i < branch.length; i++) {
      const downstream = router.edgeIndex(branch[i - 1]!);
      const upstream = router.edgeIndex(branch[i]!);
      if (downstream < 0 || upstream < 0) continue;
      if (!router.successors(upstream).includes(downstream)) {
        warnings.add(
          'W_SCENARIO_APPROACH_GAP',
          `approach[${b}][${i}]`,
          `"${branch[i]}" does not lead into "${branch[i - 1]}": the branch is not one road back from the gate`,
        );
      }
    }
  }
}

/**
 * A sign no car heading for a lot passes on its planned (free-flow shortest) route to the lot it starts out for
 * cannot guide anyone: usually it stands on the wrong edge or direction.
 */
export function warnUnpassedSigns(
  document: ScenarioDocument,
  router: Router,
  trips: readonly Trip[],
  lotEntryEdge: ReadonlyMap<string, string>,
  warnings: WarningList,
): void {
  const signs = document.signs ?? [];
  if (signs.length === 0) return;
  const passed = new Uint8Array(router.edgeCount);
  const seen = new Set<string>();
  const trees = new Map<string, Int32Array>();
  for (const trip of trips) {
    if (trip.purpose !== 'park' || trip.lotId === undefined) continue;
    const key = `${trip.originEdgeId}\u0000${trip.lotId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const target = lotEntryEdge.get(trip.lotId);
    if (target === undefined) continue;
    let next = trees.get(target);
    if (next === undefined) {
      next = router.treeTo(target).nextEdge;
      trees.set(target, next);
    }
    for (let e = router.edgeIndex(trip.originEdgeId); e >= 0; e = next[e]!) passed[e] = 1;
  }
  for (const [i, sign] of signs.entries()) {
    const e = router.edgeIndex(sign.edgeId);
    if (e >= 0 && passed[e] === 0) {
      warnings.add(
        'W_SCENARIO_SIGN_UNPASSED',
        `signs[${i}].edgeId`,
        `no car heading for a lot passes sign "${sign.id}" on "${sign.edgeId}"`,
      );
    }
  }
}

/**
 * The way home from each origin: its `returnEdgeId`, else the edge back between the same two junctions. Warns of an
 * origin without one when `isNeeded` (some lot has an exit edge, so parked cars drive on).
 */
export function returnEdges(
  document: ScenarioDocument,
  network: RoadNetwork,
  warnings: WarningList,
  isNeeded: boolean,
): Map<string, string | undefined> {
  const reverse = new Map(network.edges.map((edge) => [`${edge.fromNodeId}\u0000${edge.toNodeId}`, edge.id]));
  const byId = new Map(network.edges.map((edge) => [edge.id, edge]));
  const result = new Map<string, string | undefined>();
  for (const [i, origin] of document.demand.origins.entries()) {
    const edge = byId.get(origin.edgeId);
    const back = origin.returnEdgeId ?? (edge && reverse.get(`${edge.toNodeId}\u0000${edge.fromNodeId}`));
    if (back === undefined && isNeeded) {
      warnings.add(
        'W_DEMAND_NO_RETURN',
        `demand.origins[${i}]`,
        `no way home from "${origin.edgeId}" (no reverse edge)`,
      );
    }
    result.set(origin.edgeId, back);
  }
  return result;
}
