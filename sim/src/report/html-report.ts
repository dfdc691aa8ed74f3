import type { ScenarioResult } from '../scenario/run-scenario.js';
import { percentile } from './kpis.js';
import { clockOf } from './result-files.js';
import { runSection } from './run-sections.js';
import { barChart, escapeXml, lineChart } from './svg-chart.js';

const STYLE = `body{font:14px system-ui,sans-serif;margin:24px;color:#222;max-width:1400px}
h1{font-size:22px}h2{font-size:18px;margin-top:28px}table{border-collapse:collapse;margin:8px 0}
td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}
svg{font-size:11px;margin:6px 12px 6px 0}svg .grid{stroke:#e5e5e5}svg .title{font-size:13px;font-weight:600}
.charts{display:flex;flex-wrap:wrap}.note{color:#666;font-size:12px}.warn{color:#8a4b00}`;

const KPI_COLUMNS: ReadonlyArray<[keyof ScenarioResult['kpis'], string]> = [
  ['approachQueueMaxM', 'max queue (m)'],
  ['approachQueueP95M', 'p95 queue (m)'],
  ['windowQueueMeanM', 'window mean queue (m)'],
  ['timeToParkMeanS', 'to parked, mean (s)'],
  ['timeToParkP95S', 'to parked, p95 (s)'],
  ['cruisingVehKm', 'cruising (veh·km)'],
  ['vehiclesNotServed', 'not served'],
  ['parkedCars', 'parked'],
  ['meanTravelTimeS', 'mean trip (s)'],
];

/** Runs up to this many get a section each; a bigger sweep is summarised per policy (median and 5–95% band). */
export const MAX_DETAILED_RUNS = 24;

function label(result: ScenarioResult, isSeedShown: boolean): string {
  return isSeedShown ? `${result.policy} #${result.seed}` : result.policy;
}

/**
 * A self-contained HTML page (inline CSS and SVG, no scripts, no network) comparing runs side by side: KPI table,
 * hospital queue over time, max queue per run, and per run its lots, flows and queues. A sweep of more than
 * {@link MAX_DETAILED_RUNS} runs is shown per policy instead (KPI medians with their 5–95% range over the seeds, the
 * median queue over time with its band), so a report of 10,000 runs stays a page a browser opens.
 */
export function renderHtmlReport(results: readonly ScenarioResult[], title: string): string {
  const first = results[0];
  const period = first === undefined ? '' : `${clockOf(first.periodS.fromS)}–${clockOf(first.periodS.toS)}`;
  const body = results.length > MAX_DETAILED_RUNS ? summaryByPolicy(results) : detailedRuns(results);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(title)}</title><style>${STYLE}</style></head>
<body><h1>${escapeXml(title)}</h1>
<p class="note">Scenario ${escapeXml(first?.scenario ?? '')}, ${period}. Queues in metres at 7.5 m per car per lane; time to parked counts from the wanted departure.</p>
${body}
</body></html>
`;
}

function detailedRuns(results: readonly ScenarioResult[]): string {
  const isSeedShown = new Set(results.map((r) => r.seed)).size > 1;
  const rows = results
    .map(
      (r) =>
        `<tr><td>${escapeXml(label(r, isSeedShown))}</td>${KPI_COLUMNS.map(([key]) => `<td>${r.kpis[key]}</td>`).join('')}</tr>`,
    )
    .join('');
  const table = `<table><tr><th>run</th>${KPI_COLUMNS.map(([, name]) => `<th>${escapeXml(name)}</th>`).join('')}</tr>${rows}</table>`;
  const queueChart = lineChart({
    title: 'Hospital approach queue over time',
    yLabel: 'queue (m)',
    formatX: clockOf,
    widthPx: 900,
    heightPx: 320,
    series: results.map((r) => ({
      name: label(r, isSeedShown),
      points: r.series.timesS.map((t, i) => [t, r.series.approachQueueM[i] ?? 0] as const),
    })),
  });
  const bars = barChart({
    title: 'Peak hospital queue by run',
    unit: 'm',
    bars: results.map((r) => ({ label: label(r, isSeedShown), value: r.kpis.approachQueueMaxM })),
  });
  const perRun = results.map((r) => runSection(r, label(r, isSeedShown))).join('\n');
  return `${table}<div class="charts">${queueChart}${bars}</div>\n${perRun}`;
}

function summaryByPolicy(results: readonly ScenarioResult[]): string {
  const byPolicy = new Map<string, ScenarioResult[]>();
  for (const r of results) {
    const list = byPolicy.get(r.policy) ?? [];
    list.push(r);
    byPolicy.set(r.policy, list);
  }
  const cell = (values: number[]) => {
    const median = percentile(values, 0.5);
    return `${median}<br><span class="note">${percentile(values, 0.05)}–${percentile(values, 0.95)}</span>`;
  };
  const rows = [...byPolicy]
    .map(
      ([policy, runs]) =>
        `<tr><td>${escapeXml(policy)} (${runs.length} seeds)</td>${KPI_COLUMNS.map(([key]) => `<td>${cell(runs.map((r) => r.kpis[key]))}</td>`).join('')}</tr>`,
    )
    .join('');
  const table = `<table><tr><th>policy</th>${KPI_COLUMNS.map(([, name]) => `<th>${escapeXml(name)}</th>`).join('')}</tr>${rows}</table>`;
  const series = [...byPolicy].flatMap(([policy, runs], p) => {
    const times = runs[0]!.series.timesS;
    const bands = {
      median: [] as Array<readonly [number, number]>,
      low: [] as Array<readonly [number, number]>,
      high: [] as Array<readonly [number, number]>,
    };
    const values = new Float64Array(runs.length);
    // One sort per point for all three quantiles (nearest rank, as `percentile`).
    const rank = (fraction: number) => Math.min(runs.length - 1, Math.max(0, Math.ceil(fraction * runs.length) - 1));
    times.forEach((t, i) => {
      runs.forEach((r, k) => (values[k] = r.series.approachQueueM[i] ?? 0));
      values.sort();
      bands.median.push([t, values[rank(0.5)]!]);
      bands.low.push([t, values[rank(0.05)]!]);
      bands.high.push([t, values[rank(0.95)]!]);
    });
    return [
      { name: `${policy} (median)`, points: bands.median, colorIndex: p },
      { name: `${policy} 5%`, points: bands.low, colorIndex: p, isDashed: true, isHiddenInLegend: true },
      { name: `${policy} 95%`, points: bands.high, colorIndex: p, isDashed: true, isHiddenInLegend: true },
    ];
  });
  const queueChart = lineChart({
    title: 'Hospital approach queue over time: median over seeds (dashed: 5% and 95%)',
    yLabel: 'queue (m)',
    formatX: clockOf,
    widthPx: 900,
    heightPx: 320,
    series,
  });
  const bars = barChart({
    title: 'Peak hospital queue by policy (median over seeds)',
    unit: 'm',
    bars: [...byPolicy].map(([policy, runs]) => ({
      label: policy,
      value: percentile(
        runs.map((r) => r.kpis.approachQueueMaxM),
        0.5,
      ),
    })),
  });
  return `<p class="note">${results.length} runs: summarised per policy (median, and the 5–95% range over the seeds below it). Every run's figures are in kpis.csv and its own folder.</p>
${table}<div class="charts">${queueChart}${bars}</div>`;
}
