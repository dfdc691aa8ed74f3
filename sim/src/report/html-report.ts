import type { ScenarioResult } from '../scenario/run-scenario.js';
import { clockOf } from './result-files.js';
import { barChart, escapeXml, lineChart } from './svg-chart.js';

const STYLE = `body{font:14px system-ui,sans-serif;margin:24px;color:#222;max-width:1400px}
h1{font-size:22px}h2{font-size:18px;margin-top:28px}table{border-collapse:collapse;margin:8px 0}
td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}
svg{font-size:11px;margin:6px 12px 6px 0}svg .grid{stroke:#e5e5e5}svg .title{font-size:13px;font-weight:600}
.charts{display:flex;flex-wrap:wrap}.note{color:#666;font-size:12px}`;

const KPI_COLUMNS: ReadonlyArray<[keyof ScenarioResult['kpis'], string]> = [
  ['approachQueueMaxM', 'max queue (m)'],
  ['approachQueueP95M', 'p95 queue (m)'],
  ['timeToParkMeanS', 'to parked, mean (s)'],
  ['timeToParkP95S', 'to parked, p95 (s)'],
  ['cruisingVehKm', 'cruising (veh·km)'],
  ['vehiclesNotServed', 'not served'],
  ['parkedCars', 'parked'],
  ['meanTravelTimeS', 'mean trip (s)'],
];

function label(result: ScenarioResult, isSeedShown: boolean): string {
  return isSeedShown ? `${result.policy} #${result.seed}` : result.policy;
}

/**
 * A self-contained HTML page (inline CSS and SVG, no scripts, no network) comparing runs side by side: KPI table,
 * hospital queue over time, max queue per run, and occupancy and gate queue per lot for each run.
 */
export function renderHtmlReport(results: readonly ScenarioResult[], title: string): string {
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
  const perRun = results
    .map((r) => {
      const lotIds = Object.keys(r.series.lotOccupancy);
      const occupancy = lineChart({
        title: `Occupancy per lot (dashed: bays) — ${label(r, isSeedShown)}`,
        yLabel: 'occupied bays',
        formatX: clockOf,
        series: [
          ...lotIds.map((id) => ({
            name: id,
            points: r.series.timesS.map((t, i) => [t, r.series.lotOccupancy[id]?.[i] ?? 0] as const),
          })),
          ...lotIds.map((id, l) => {
            const bays = r.lots.find((lot) => lot.lotId === id)?.capacityBays ?? 0;
            const first = r.series.timesS[0] ?? 0;
            const last = r.series.timesS.at(-1) ?? first;
            return {
              name: `${id} bays`,
              points: [[first, bays] as const, [last, bays] as const],
              isDashed: true,
              colorIndex: l,
              isHiddenInLegend: true,
            };
          }),
        ],
      });
      const gates = lineChart({
        title: `Gate queue per lot — ${label(r, isSeedShown)}`,
        yLabel: 'cars waiting',
        formatX: clockOf,
        series: lotIds.map((id) => ({
          name: id,
          points: r.series.timesS.map((t, i) => [t, r.series.gateQueueVeh[id]?.[i] ?? 0] as const),
        })),
      });
      const lots = r.lots
        .map(
          (lot) =>
            `<tr><td>${escapeXml(lot.lotId)}</td><td>${lot.capacityBays}</td><td>${lot.maxOccupiedBays}</td><td>${lot.parkedCars}</td></tr>`,
        )
        .join('');
      const links = r.links
        .slice(0, 8)
        .map((l) => `<tr><td>${escapeXml(l.edgeId)}</td><td>${l.maxQueueM}</td><td>${l.p95QueueM ?? '–'}</td></tr>`)
        .join('');
      return `<h2>${escapeXml(label(r, isSeedShown))}</h2><div class="charts">${occupancy}${gates}</div>
<table><tr><th>lot</th><th>bays</th><th>max occupied</th><th>parked</th></tr>${lots}</table>
<table><tr><th>link</th><th>max queue (m)</th><th>p95 queue (m)</th></tr>${links}</table>`;
    })
    .join('\n');
  const first = results[0];
  const period = first === undefined ? '' : `${clockOf(first.periodS.fromS)}–${clockOf(first.periodS.toS)}`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(title)}</title><style>${STYLE}</style></head>
<body><h1>${escapeXml(title)}</h1>
<p class="note">Scenario ${escapeXml(first?.scenario ?? '')}, ${period}. Queues in metres at 7.5 m per car per lane; time to parked counts from the wanted departure.</p>
${table}<div class="charts">${queueChart}${bars}</div>
${perRun}
</body></html>
`;
}
