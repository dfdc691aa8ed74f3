import type { ScenarioResult } from '../scenario/run-scenario.js';
import { clockOf } from './result-files.js';
import { escapeXml, lineChart } from './svg-chart.js';

function table(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const head = `<tr>${header.map((h) => `<th>${escapeXml(h)}</th>`).join('')}</tr>`;
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeXml(String(cell))}</td>`).join('')}</tr>`);
  return `<table>${head}${body.join('')}</table>`;
}

/** One run in detail: occupancy and gate queue per lot, parked per hour, lots, flows, queues over the window. */
export function runSection(r: ScenarioResult, label: string): string {
  const lotIds = Object.keys(r.series.lotOccupancy);
  const occupancy = lineChart({
    title: `Occupancy per lot (dashed: bays) — ${label}`,
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
    title: `Gate queue per lot — ${label}`,
    yLabel: 'cars waiting',
    formatX: clockOf,
    series: lotIds.map((id) => ({
      name: id,
      points: r.series.timesS.map((t, i) => [t, r.series.gateQueueVeh[id]?.[i] ?? 0] as const),
    })),
  });
  const perHour = lineChart({
    title: `Cars parked per hour — ${label}`,
    yLabel: 'cars / h',
    formatX: clockOf,
    series: lotIds.map((id) => ({
      name: id,
      points: r.perHour.map((h) => [h.hourStartS + 1800, h.parked[id] ?? 0] as const),
    })),
  });
  const lots = table(
    ['lot', 'bays', 'max occupied', 'parked', ...r.perHour.map((h) => `parked ${clockOf(h.hourStartS)}`)],
    r.lots.map((lot) => [
      lot.lotId,
      lot.capacityBays,
      lot.maxOccupiedBays,
      lot.parkedCars,
      ...r.perHour.map((h) => h.parked[lot.lotId] ?? 0),
    ]),
  );
  const flows = table(
    [
      'flow (through traffic)',
      'trips',
      'finished',
      'travel mean (s)',
      'travel p95 (s)',
      'wait to enter (s)',
      'delay (s)',
    ],
    r.flows.map((f) => [
      f.flow,
      f.trips,
      f.finished,
      f.meanTravelTimeS,
      f.p95TravelTimeS,
      f.meanDepartDelayS,
      f.meanDelayS,
    ]),
  );
  const { approach, fromS, toS } = r.queueWindow;
  const queues = table(
    [`queue ${clockOf(fromS)}–${clockOf(toS)}`, 'mean (m)', 'p95 (m)', 'max (m)'],
    [
      ['hospital approach', approach.meanM, approach.p95M, approach.maxM],
      ...r.queueWindow.links.slice(0, 8).map((l) => [l.edgeId, l.meanM, l.p95M, l.maxM]),
    ],
  );
  const warnings =
    r.warnings.length === 0
      ? ''
      : `<ul class="warn">${r.warnings.map((w) => `<li>${escapeXml(`${w.code}: ${w.path}: ${w.message}`)}</li>`).join('')}</ul>`;
  return `<h2>${escapeXml(label)}</h2>${warnings}<div class="charts">${occupancy}${gates}${perHour}</div>
${lots}${flows}${queues}`;
}
