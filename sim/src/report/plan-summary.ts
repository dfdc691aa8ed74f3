import { ALLOCATABLE_KINDS, type AllocationPlan } from '../allocation/allocation-types.js';

/**
 * The table an operator reads: per lot what was assigned and how close to its bays and gate, then the outcomes,
 * the shifts and the cost split.
 */
export function summaryTable(plan: AllocationPlan, baseline: AllocationPlan | undefined, wallMs: number): string {
  const s = plan.summary;
  const rows = [['lot', 'cars', ...ALLOCATABLE_KINDS, 'peak held', 'peak arrivals/slot', 'gate cap/slot']];
  for (const lot of s.lots) {
    rows.push([
      lot.lotId,
      String(lot.assigned),
      ...ALLOCATABLE_KINDS.map((kind) => String(lot.byKind[kind] ?? 0)),
      String(lot.peakHeldBays),
      String(lot.peakArrivalsPerSlot),
      String(lot.gateCapacityPerSlot),
    ]);
  }
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  const lines = rows.map((r) =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  '),
  );
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  const perCar = (v: number): string => `${(v / Math.max(1, s.appointments)).toFixed(0)} s/car`;
  const o = s.byOutcome;
  lines.push(
    '',
    `placed ${s.placed} of ${s.appointments}, unplaced ${s.unplaced}, fallbacks ${s.fallbacks}`,
    `outcomes: bay ${o.bay}, park-and-ride ${o['park-and-ride']}, drop-off ${o['drop-off']}, wait-list ${o['wait-list']}`,
    `arrival shifted for ${s.shifted} cars (mean ${s.meanAbsShiftMin.toFixed(1)} min over all), reschedule suggested for ${s.rescheduled}`,
    `cost ${s.objectiveS.toFixed(0)} s = drive ${s.driveS.toFixed(0)} + weighted walk ${s.weightedWalkS.toFixed(0)} + fallbacks ${s.fallbackPenaltyS.toFixed(0)} + shifts ${s.shiftPenaltyS.toFixed(0)} + alternatives ${s.alternativePenaltyS.toFixed(0)} + wait-list ${s.unplacedPenaltyS.toFixed(0)} (${perCar(s.objectiveS)})`,
  );
  if (s.lowerBoundS > 0) {
    lines.push(
      `${s.isProvenOptimal ? 'proven optimal' : `within ${s.gapPct.toFixed(2)} % of the optimum (bound ${s.lowerBoundS.toFixed(0)} s)`}; computed in ${wallMs.toFixed(0)} ms`,
    );
  } else lines.push(`first-come-first-served plan; computed in ${wallMs.toFixed(0)} ms`);
  if (baseline !== undefined) {
    const worse = (100 * (baseline.summary.objectiveS - s.objectiveS)) / Math.max(1, s.objectiveS);
    lines.push(
      `first-come-first-served on the same day: ${baseline.summary.objectiveS.toFixed(0)} s (${worse.toFixed(1)} % worse, ${baseline.summary.unplaced} unplaced)`,
    );
  }
  return lines.join('\n');
}
