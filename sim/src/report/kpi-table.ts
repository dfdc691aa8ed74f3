import type { ScenarioResult } from '../scenario/run-scenario.js';

/** A fixed-width KPI table for the terminal. */
export function kpiTable(results: readonly ScenarioResult[]): string {
  const header = ['run', 'maxQ m', 'p95Q m', 'park mean s', 'park p95 s', 'cruise km', 'not served'];
  const rows = results.map((r) => [
    `${r.policy}${results.length > 1 && new Set(results.map((x) => x.seed)).size > 1 ? ` #${r.seed}` : ''}`,
    String(r.kpis.approachQueueMaxM),
    String(r.kpis.approachQueueP95M),
    String(r.kpis.timeToParkMeanS),
    String(r.kpis.timeToParkP95S),
    String(r.kpis.cruisingVehKm),
    String(r.kpis.vehiclesNotServed),
  ]);
  // A loop, not Math.max(...): a sweep of thousands of runs would spread thousands of arguments.
  const widths = header.map((h, i) => rows.reduce((width, row) => Math.max(width, row[i]!.length), h.length));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}
