// What-if: pick a scenario and policies, run them on the simulator through central's scenario API, compare.
/* global document, location, localStorage, setTimeout */
import { barChart, formatNumber, lineChart, PALETTE } from './chart.js';
import { scenarioApi } from './scenario-api.js';

const $ = (id) => document.getElementById(id);
const KPIS = [
  ['approachQueueMaxM', 'Approach queue, max', ' m'],
  ['approachQueueP95M', 'Approach queue, p95', ' m'],
  ['timeToParkMeanS', 'Time to park, mean', ' s'],
  ['timeToParkP95S', 'Time to park, p95', ' s'],
  ['cruisingVehKm', 'Cruising for a bay', ' veh·km'],
  ['vehiclesNotServed', 'Cars not parked by the end', ''],
  ['meanTravelTimeS', 'Mean travel time', ' s'],
];

function keyFromPage() {
  const match = /key=([^&]+)/.exec(location.hash);
  if (match) localStorage.setItem('citybay-engineer-key', decodeURIComponent(match[1]));
  return localStorage.getItem('citybay-engineer-key') ?? '';
}

function setStatus(text) {
  $('status').textContent = text;
}

function renderPolicies(scenario) {
  const box = $('policies');
  box.replaceChildren(
    ...scenario.policies.map((name, i) => {
      const label = document.createElement('label');
      const input = document.createElement('input');
      input.type = 'checkbox';
      input.value = name;
      input.checked = i < 3;
      label.append(input, ` ${name}`);
      return label;
    }),
  );
}

function renderResults(results) {
  const series = results.map((r, i) => ({
    name: r.policy,
    colour: PALETTE[i % PALETTE.length],
    points: r.series.timesS.map((t, j) => [t, r.series.approachQueueM[j] ?? 0]),
  }));
  $('queue-chart').replaceChildren(lineChart(series, { yLabel: 'm' }));
  $('legend').replaceChildren(
    ...series.map((s) => {
      const span = document.createElement('span');
      span.style.setProperty('--c', s.colour);
      span.textContent = s.name;
      return span;
    }),
  );
  $('kpi-charts').replaceChildren(
    ...KPIS.slice(0, 4).map(([key, title, unit]) =>
      barChart(
        title,
        results.map((r, i) => ({ name: r.policy, colour: PALETTE[i % PALETTE.length], value: r.kpis[key] })),
        unit,
      ),
    ),
  );
  const table = $('kpi-table');
  const head = document.createElement('tr');
  for (const text of ['KPI', ...results.map((r) => r.policy)]) {
    const th = document.createElement('th');
    th.textContent = text;
    head.append(th);
  }
  const rows = KPIS.map(([key, title, unit]) => {
    const tr = document.createElement('tr');
    const name = document.createElement('td');
    name.textContent = `${title}${unit ? ` (${unit.trim()})` : ''}`;
    tr.append(name);
    for (const r of results) {
      const td = document.createElement('td');
      td.className = 'n';
      td.textContent = formatNumber(r.kpis[key]);
      tr.append(td);
    }
    return tr;
  });
  table.replaceChildren(head, ...rows);
}

async function main() {
  $('api-key').value = keyFromPage();
  let scenarios = [];
  try {
    scenarios = await scenarioApi.list($('api-key').value);
  } catch (err) {
    setStatus(`cannot list scenarios: ${err.message}`);
    return;
  }
  $('scenario').replaceChildren(
    ...scenarios.map((s) => {
      const option = document.createElement('option');
      option.value = s.id;
      option.textContent = s.name ?? s.id;
      return option;
    }),
  );
  const current = () => scenarios.find((s) => s.id === $('scenario').value) ?? scenarios[0];
  if (scenarios.length > 0) renderPolicies(current());
  $('scenario').addEventListener('change', () => renderPolicies(current()));
  $('whatif-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const key = $('api-key').value.trim();
    localStorage.setItem('citybay-engineer-key', key);
    const policies = [...document.querySelectorAll('#policies input:checked')].map((input) => input.value);
    if (policies.length === 0) {
      setStatus('pick at least one policy');
      return;
    }
    const seedText = $('seed').value.trim();
    $('run').disabled = true;
    try {
      const started = Date.now();
      const results = await scenarioApi.compare(key, {
        scenarioId: current().id,
        policies,
        ...(seedText === '' ? {} : { seed: Number(seedText) }),
        onProgress: (fraction) =>
          setStatus(`running ${policies.length} policies on the simulator… ${Math.round(fraction * 100)} %`),
        wait: (ms) => new Promise((r) => setTimeout(r, ms)),
      });
      setStatus(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      renderResults(results);
    } catch (err) {
      setStatus(`the comparison failed: ${err.message}`);
    } finally {
      $('run').disabled = false;
    }
  });
}

void main();
