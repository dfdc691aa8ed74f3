import type { ScenarioResult } from '../scenario/run-scenario.js';

/** `08:30` from seconds after midnight. */
export function clockOf(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv(rows: ReadonlyArray<ReadonlyArray<string | number | undefined>>): string {
  return `${rows.map((row) => row.map(csvCell).join(',')).join('\n')}\n`;
}

/** One row per series point: approach queue, cars on the network and waiting to enter, occupancy and gate queue per lot. */
export function timeSeriesCsv(result: ScenarioResult): string {
  const lotIds = Object.keys(result.series.lotOccupancy);
  const header = [
    'time',
    'timeS',
    'approachQueueM',
    'vehiclesOnNetwork',
    'waitingToEnter',
    ...lotIds.map((id) => `occupied_${id}`),
    ...lotIds.map((id) => `gateQueueVeh_${id}`),
  ];
  const rows = result.series.timesS.map((timeS, i) => [
    clockOf(timeS),
    timeS,
    result.series.approachQueueM[i],
    result.series.vehiclesOnNetwork[i],
    result.series.waitingToEnter[i],
    ...lotIds.map((id) => result.series.lotOccupancy[id]?.[i]),
    ...lotIds.map((id) => result.series.gateQueueVeh[id]?.[i]),
  ]);
  return csv([header, ...rows]);
}

/** Every link that queued: maximum and p95 queue (m). */
export function linksCsv(result: ScenarioResult): string {
  return csv([['edgeId', 'maxQueueM', 'p95QueueM'], ...result.links.map((l) => [l.edgeId, l.maxQueueM, l.p95QueueM])]);
}

/** One row per run (policy × seed) with every KPI: the comparison table of a sweep. */
export function kpiComparisonCsv(results: readonly ScenarioResult[]): string {
  const first = results[0];
  if (first === undefined) return '';
  const keys = Object.keys(first.kpis) as Array<keyof ScenarioResult['kpis']>;
  return csv([
    ['scenario', 'policy', 'seed', ...keys],
    ...results.map((r) => [r.scenario, r.policy, r.seed, ...keys.map((key) => r.kpis[key])]),
  ]);
}
