import { type AllocationOptions, checkAllocationOptions } from '../allocation/allocation-options.js';
import { errors } from '../errors.js';
import type { PolicyDocument, ScenarioDocument } from './scenario-file.js';

/**
 * The allocator's options for one policy's pre-assignment: the demand's mean arrival lead and extra stay as the
 * lead and exit buffer (whole minutes), then the scenario's `allocation:`, then the policy's own, key by key.
 */
export function allocationOptionsFor(document: ScenarioDocument, policy: PolicyDocument): AllocationOptions {
  return {
    arrivalLeadMin: Math.max(0, Math.round(document.demand.arrivalBeforeMin.mean)),
    exitBufferMin: Math.max(0, Math.round(document.demand.extraStayMin.mean)),
    ...(document.allocation as AllocationOptions | undefined),
    ...(policy.allocation as AllocationOptions | undefined),
  };
}

/**
 * Checks the scenario's and every policy's `allocation:` against the allocation options' schema, and what they
 * name against the scenario: drop-off advice needs drop-off edges; a park-and-ride lot has that role, and a lot with
 * that role has its shuttle in `allocation.parkAndRide`. Throws `CB_SCENARIO_INVALID` naming file and field.
 */
export function checkScenarioAllocation(document: ScenarioDocument, fileName: string): void {
  const fail = (path: string, message: string) =>
    errors.CB_SCENARIO_INVALID(`${fileName}: ${path}: ${message}`, { path });
  checkAllocationOptions(document.allocation ?? {}, fileName, 'allocation', errors.CB_SCENARIO_INVALID);
  const roles = document.lotRoles ?? {};
  const parkAndRideLots = Object.keys(roles).filter((id) => roles[id] === 'park-and-ride');
  for (const [i, policy] of document.policies.entries()) {
    const at = `policies[${i}].allocation`;
    checkAllocationOptions(policy.allocation ?? {}, fileName, at, errors.CB_SCENARIO_INVALID);
    if (policy.preAssign !== true) continue;
    const options = allocationOptionsFor(document, policy);
    const where = policy.allocation !== undefined && 'dropOff' in (policy.allocation as object) ? at : 'allocation';
    if (options.dropOff !== undefined && document.demand.dropOffEdgeIds === undefined)
      throw fail(`${where}.dropOff`, 'drop-off advice needs demand.dropOffEdgeIds (where cars drop their patient)');
    const listed = new Set((options.parkAndRide ?? []).map((p) => p.lotId));
    for (const [k, p] of (options.parkAndRide ?? []).entries()) {
      if (roles[p.lotId] !== 'park-and-ride')
        throw fail(`allocation.parkAndRide[${k}].lotId`, `lot "${p.lotId}" needs lotRoles.${p.lotId}: park-and-ride`);
    }
    const missing = parkAndRideLots.find((id) => !listed.has(id));
    if (missing !== undefined)
      throw fail(`lotRoles.${missing}`, `a park-and-ride lot needs its shuttle in allocation.parkAndRide`);
  }
}
