// What-if: pick a scenario and policies, run them on the simulator through central's scenario API, compare.
/* global document, location, history, localStorage, sessionStorage, setTimeout */
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

const KEY_ITEM = 'citybay-engineer-key';

/**
 * The engineer key: typed into the form, kept in this tab's session storage only. A key handed over in the address
 * (the demo prints `whatif.html#key=…` on its own terminal) is taken once and removed from the address bar and the
 * history at once. The live dashboard's link carries no key: the dashboard is the operators' read-only page and
 * holds no key to give, and a key in a link ends up in history, bookmarks, screenshots and shared URLs.
 */
function keyFromPage() {
  const match = /key=([^&]+)/.exec(location.hash);
  if (match) {
    sessionStorage.setItem(KEY_ITEM, decodeURIComponent(match[1]));
    history.replaceState(null, '', location.pathname + location.search);
  }
  // Earlier versions kept the key in local storage, for good.
  localStorage.removeItem(KEY_ITEM);
  return sessionStorage.getItem(KEY_ITEM) ?? '';
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
  $('queue-chart').replaceChildren(lineChart(series, { yLabel: 'm', widthPx: $('queue-chart').clientWidth }));
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

let scenarios = [];

const current = () => scenarios.find((s) => s.id === $('scenario').value) ?? scenarios[0];

async function loadScenarios(key) {
  scenarios = await scenarioApi.list(key);
  $('scenario').replaceChildren(
    ...scenarios.map((s) => {
      const option = document.createElement('option');
      option.value = s.id;
      option.textContent = s.name ?? s.id;
      return option;
    }),
  );
  if (scenarios.length > 0) renderPolicies(current());
}

async function run(event) {
  event.preventDefault();
  const key = $('api-key').value.trim();
  if (key === '') {
    setStatus('type the engineer API key first');
    return;
  }
  sessionStorage.setItem(KEY_ITEM, key);
  if (scenarios.length === 0) {
    try {
      await loadScenarios(key);
    } catch (err) {
      setStatus(`cannot list scenarios: ${err.message}`);
      return;
    }
    if (scenarios.length === 0) {
      setStatus('central offers no what-if scenarios yet');
      return;
    }
  }
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
}

async function main() {
  // The form works from the start: typing the key and pressing Enter lists the scenarios and runs the comparison,
  // whether or not a listing succeeded before (the handler used to be attached only after one had).
  $('whatif-form').addEventListener('submit', (event) => void run(event));
  $('scenario').addEventListener('change', () => renderPolicies(current()));
  const key = keyFromPage();
  $('api-key').value = key;
  if (key === '') {
    setStatus('type the engineer API key and press Run comparison');
    return;
  }
  try {
    await loadScenarios(key);
  } catch (err) {
    setStatus(`cannot list scenarios: ${err.message} — check the key and press Run comparison`);
  }
}

void main();
