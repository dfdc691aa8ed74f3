// The live district view: a snapshot, then its changes every second, over server-sent events; rendered without a
// framework. When central stops answering, the last figures stay on screen marked stale, with a banner saying since
// when, and their ages keep counting.
/* global document, EventSource, setInterval */
import { clockText, lineChart } from './chart.js';
import { applyDelta } from './json-delta.js';
import { ARROWS, QUEUE_BANDS, renderMap } from './map.js';

/** The feed counts as down after this long without a message (it sends one every second). */
const STALE_AFTER_MS = 5000;

const KINDS = ['standard', 'accessible', 'family', 'ev', 'staff'];
const $ = (id) => document.getElementById(id);

function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') node.className = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else node.setAttribute(k, v);
  }
  for (const child of children.flat()) if (child !== undefined && child !== null) node.append(child);
  return node;
}

const ago = (nowMs, ms) => (ms > 0 ? `${Math.max(0, Math.round((nowMs - ms) / 1000))} s ago` : 'never');
const sum = (counts, field) => KINDS.reduce((a, k) => a + (counts[k]?.[field] ?? 0), 0);

/** Counts of a lot by kind, from its zone rows (the whole-lot row only when the lot has no zones). */
function lotCounts(site, lot, nowMs) {
  const rows = site.zones.filter(
    (z) => z.lotId === lot.id && (lot.zones.length === 0 ? z.zoneId === '' : z.zoneId !== ''),
  );
  const kinds = {};
  let ageMs = Infinity;
  for (const row of rows) {
    ageMs = Math.min(ageMs, nowMs - row.windowEndMs);
    for (const [kind, c] of Object.entries(row.kinds ?? {})) {
      const into = (kinds[kind] ??= { free: 0, occupied: 0, unknown: 0 });
      into.free += c.free;
      into.occupied += c.occupied;
      into.unknown += c.unknown;
    }
  }
  return { kinds, rows: rows.length, ageMs };
}

function renderLots(snapshot, nowMs) {
  const cards = [];
  for (const site of snapshot.sites) {
    for (const lot of site.lots) {
      const { kinds, rows, ageMs } = lotCounts(site, lot, nowMs);
      const free = sum(kinds, 'free'),
        occupied = sum(kinds, 'occupied'),
        unknown = sum(kinds, 'unknown');
      const total = Math.max(1, free + occupied + unknown);
      const bar = h('div', { class: 'bar' });
      for (const [cls, n] of [
        ['occ', occupied],
        ['unk', unknown],
        ['fre', free],
      ]) {
        const seg = h('div', { class: cls });
        seg.style.width = `${(100 * n) / total}%`;
        bar.append(seg);
      }
      const override = site.directives.lotOverrides.find((o) => o.lotId === lot.id && o.zoneId === '');
      const reserved = site.directives.reservationsByLot[lot.id] ?? 0;
      const heldNow = Object.values(site.directives.heldNowByLot[lot.id] ?? {}).reduce((a, b) => a + b, 0);
      const table = h(
        'table',
        {},
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, 'kind'),
            h('th', { class: 'n' }, 'free'),
            h('th', { class: 'n' }, 'occ.'),
            h('th', { class: 'n' }, 'unkn.'),
          ),
        ),
      );
      const body = h('tbody');
      for (const kind of KINDS) {
        const c = kinds[kind];
        if (!c) continue;
        body.append(
          h(
            'tr',
            {},
            h('td', {}, kind),
            h('td', { class: 'n' }, String(c.free)),
            h('td', { class: 'n' }, String(c.occupied)),
            h('td', { class: 'n' }, String(c.unknown)),
          ),
        );
      }
      table.append(body);
      cards.push(
        h(
          'div',
          { class: 'card', dataset: { lot: lot.id } },
          h('h3', {}, h('span', {}, `${lot.id} · ${lot.name}`), h('span', { class: 'muted' }, site.name)),
          rows === 0
            ? h('div', { class: 'muted' }, 'no counts from the edge yet')
            : h(
                'div',
                {},
                h('span', { class: `free${free < 10 ? ' low' : ''}`, dataset: { role: 'free' } }, String(free)),
                h('span', { class: 'muted' }, ` free of ${free + occupied + unknown}`),
              ),
          bar,
          table,
          h(
            'div',
            { class: 'muted' },
            `${heldNow} held now for appointments, ${reserved - heldNow} booked later`,
            override ? h('span', {}, ' · ', h('span', { class: 'badge warn' }, override.status)) : null,
            Number.isFinite(ageMs) ? ` · updated ${Math.round(ageMs / 1000)} s ago` : '',
          ),
        ),
      );
    }
  }
  $('lots').replaceChildren(...cards);
}

function signLines(lines) {
  return lines.map((line) => {
    const value =
      typeof line.value === 'number'
        ? String(line.value)
        : typeof line.value === 'string'
          ? line.value
          : (line.value?.text ?? line.text ?? '');
    return h(
      'div',
      { class: `line ${line.colour ?? ''}` },
      h('span', {}, `${line.label} ${ARROWS[line.arrow] ?? ''}`),
      h('span', {}, value),
    );
  });
}

function renderSigns(snapshot) {
  const edgeFaces = new Map();
  for (const site of snapshot.sites) for (const s of site.signs) edgeFaces.set(`${site.id}/${s.signId}`, s);
  const twinSigns = snapshot.twin?.signs ?? [];
  const items =
    twinSigns.length > 0
      ? twinSigns.map((s) => ({
          key: `${s.siteId}/${s.signId}`,
          id: s.signId,
          where: s.location,
          lines: s.message?.lines ?? null,
        }))
      : [...edgeFaces.entries()].map(([key, s]) => ({ key, id: s.signId, where: s.edgeId, lines: s.lines }));
  $('signs').replaceChildren(
    ...items.map((item) => {
      const edge = edgeFaces.get(item.key);
      return h(
        'div',
        { class: 'sign', dataset: { sign: item.id } },
        h('div', { class: 'where' }, `${item.id} — ${item.where}`),
        item.lines && item.lines.length > 0 ? signLines(item.lines) : h('div', { class: 'blank' }, '(blank)'),
        edge?.isFallback ? h('div', { class: 'edge-says' }, 'edge shows its fail-safe message') : null,
      );
    }),
  );
}

function renderSignCheck(snapshot) {
  const check = snapshot.twin?.signCheck;
  $('sign-check').textContent = check
    ? `${check.contradictory} of ${check.samples} samples with a sign saying FULL over free bays (as the simulation has them, or as another sign showed them)${
        check.last ? ` (last: ${check.last})` : ''
      }`
    : '';
}

function renderQueue(snapshot) {
  const twin = snapshot.twin;
  if (!twin) {
    $('queue-now').textContent = '–';
    $('queue-chart').replaceChildren(h('div', { class: 'muted' }, 'the twin has not reported yet'));
    return;
  }
  $('queue-now').textContent = `${Math.round(twin.approachQueueM)} m`;
  const points = twin.queueSeries.map((p) => [p.simS, p.queueM]);
  $('queue-chart').replaceChildren(
    lineChart([{ name: 'queue', colour: '#d64545', points }], {
      yLabel: 'm',
      xMin: twin.fromS,
      xMax: twin.toS,
      widthPx: $('queue-chart').clientWidth,
    }),
  );
}

function renderClock(snapshot) {
  const twin = snapshot.twin;
  $('sim-clock').textContent = twin ? clockText(twin.simTimeS) : '--:--';
  $('sim-info').textContent = twin
    ? `simulated, ${twin.speed}× · ${twin.scenario} · policy ${twin.policy}${
        twin.mode === 'closed-loop'
          ? ` · closed loop: drivers read the real signs${
              twin.loop
                ? ` (sign lag ${((twin.loop.signLagMedianMs ?? twin.loop.sensorToSignMedianMs) / 1000).toFixed(1)} s, reservation round trip ${(
                    twin.loop.directiveRoundTripMedianMs / 1000
                  ).toFixed(1)} s real; ${twin.loop.preAssignedByCentral} drivers on central's reservations)`
                : ''
            }`
          : ''
      }${twin.isRunning ? '' : ' · holding'}`
    : 'waiting for the twin';
}

function renderAppointments(snapshot) {
  const a = snapshot.twin?.appointments;
  const body = document.querySelector('#appointments tbody');
  if (!a) {
    $('appointments-summary').textContent = 'none posted yet';
    body.replaceChildren();
    return;
  }
  // Every posted appointment gets an outcome from central: show how many got each (never only the lucky ones).
  const outcomes = Object.entries(a.byOutcome ?? {})
    .map(([outcome, n]) => `${n} ${outcome}`)
    .join(', ');
  $('appointments-summary').textContent =
    `${a.posted} posted to the appointment API, ${a.assigned} with an assigned lot${outcomes ? ` (${outcomes})` : ''}${
      a.message ? ` — ${a.message}` : ''
    }`;
  body.replaceChildren(
    ...a.items.slice(0, 100).map((item) => {
      const localS =
        item.simStartS ?? Math.floor((item.startMs / 1000 + (snapshot.twin.utcOffsetMin ?? 0) * 60) % 86400);
      return h(
        'tr',
        {},
        h('td', {}, clockText(localS)),
        h('td', {}, item.id),
        h('td', {}, item.kind),
        h('td', {}, item.lotId ? `${item.lotId}${item.zoneId ? `/${item.zoneId}` : ''}` : (item.outcome ?? '–')),
      );
    }),
  );
}

function renderDirectives(snapshot) {
  const blocks = snapshot.sites.map((site) => {
    const d = site.directives;
    const rows = [
      h('div', {}, h('strong', {}, site.name), h('span', { class: 'muted' }, ` · version ${d.version}`)),
      h(
        'div',
        { class: 'muted', dataset: { role: 'reservations', site: site.id } },
        `${d.reservationCount} bay reservations${
          Object.keys(d.reservationsByLot).length
            ? ` (${Object.entries(d.reservationsByLot)
                .map(([l, n]) => `${l}: ${n}`)
                .join(', ')})`
            : ''
        }`,
      ),
    ];
    const offsetS = (snapshot.twin?.utcOffsetMin ?? 0) * 60;
    const hhmm = (ms) => clockText(Math.floor((((ms / 1000 + offsetS) % 86400) + 86400) % 86400));
    const upcoming = d.reservations
      .slice(0, 6)
      .map((r) =>
        h(
          'li',
          {},
          `${hhmm(r.validFromMs)}–${r.validUntilMs ? hhmm(r.validUntilMs) : '…'} ${r.lotId}${r.zoneId ? `/${r.zoneId}` : ''} ${r.kind}`,
        ),
      );
    if (upcoming.length > 0) rows.push(h('ul', { class: 'muted compact' }, upcoming));
    for (const o of d.lotOverrides)
      rows.push(
        h(
          'div',
          {},
          h('span', { class: 'badge warn' }, `${o.lotId}${o.zoneId ? `/${o.zoneId}` : ''} ${o.status}`),
          ` ${o.reason}`,
        ),
      );
    for (const o of d.signOverrides)
      rows.push(
        h(
          'div',
          {},
          h('span', { class: 'badge warn' }, `sign ${o.signId}`),
          ` ${o.lines.map((l) => `${l.label} ${l.text}`).join(' / ')} — ${o.reason}`,
        ),
      );
    return h('div', { class: 'card' }, ...rows);
  });
  $('directives').replaceChildren(...blocks);
}

function renderHealth(snapshot, now) {
  const edgeRows = [];
  const deviceRows = [];
  for (const site of snapshot.sites) {
    for (const e of site.edges) {
      const fresh = e.lastSeenMs > 0 && now - e.lastSeenMs < 15_000;
      edgeRows.push(
        h(
          'tr',
          {},
          h('td', {}, e.edgeId),
          h('td', {}, site.id),
          h('td', {}, h('span', { class: `badge ${fresh ? 'ok' : 'bad'}` }, ago(now, e.lastSeenMs))),
          h('td', { class: 'n' }, String(e.ackedSeq)),
          h('td', { class: 'n' }, String(e.missingSeqCount)),
          h('td', { class: 'n' }, `${e.directivesVersionApplied}/${e.directivesVersionSent}`),
        ),
      );
    }
    const byStatus = {};
    for (const d of site.devices) byStatus[d.status] = (byStatus[d.status] ?? 0) + 1;
    const bad = site.devices.filter((d) => d.status !== 'ok');
    deviceRows.push(
      h(
        'tr',
        {},
        h('td', {}, site.id),
        h(
          'td',
          {},
          ...Object.entries(byStatus).map(([s, n]) =>
            h('span', { class: `badge ${s === 'ok' ? 'ok' : s === 'degraded' ? 'warn' : 'bad'}` }, `${n} ${s}`),
          ),
        ),
        h(
          'td',
          {},
          bad
            .slice(0, 6)
            .map((d) => `${d.deviceId} (${d.status}, ${d.timeoutCount} timeouts)`)
            .join(', '),
        ),
      ),
    );
  }
  $('health').replaceChildren(
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'edge'),
          h('th', {}, 'site'),
          h('th', {}, 'last sync'),
          h('th', { class: 'n' }, 'acked seq'),
          h('th', { class: 'n' }, 'missing'),
          h('th', { class: 'n' }, 'directives applied/sent'),
        ),
      ),
      h('tbody', {}, edgeRows),
    ),
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, h('th', {}, 'site'), h('th', {}, 'devices'), h('th', {}, 'not ok'))),
      h('tbody', {}, deviceRows),
    ),
  );
}

/** What the page holds: the last snapshot, its feed message id, and when (page clock) it arrived. */
const feed = { snapshot: undefined, lastId: undefined, receivedAtMs: 0, isUp: false, mapKey: '' };

function render() {
  const snapshot = feed.snapshot;
  if (!snapshot) return;
  // Ages run on: the server's clock at the snapshot plus the time the page has held it since.
  const nowMs = snapshot.nowMs + (Date.now() - feed.receivedAtMs);
  renderClock(snapshot);
  renderLots(snapshot, nowMs);
  // The map only when what it shows changed (not on the ticks that only age the figures).
  const mapKey = JSON.stringify([
    $('map').clientWidth,
    snapshot.map?.links.length,
    snapshot.twin?.linkQueuesM,
    snapshot.twin?.signs,
    snapshot.sites.map((s) => [s.zones, s.signs]),
  ]);
  if (mapKey !== feed.mapKey) {
    feed.mapKey = mapKey;
    $('map').replaceChildren(renderMap(snapshot, $('map').clientWidth));
  }
  renderSigns(snapshot);
  renderSignCheck(snapshot);
  renderQueue(snapshot);
  renderAppointments(snapshot);
  renderDirectives(snapshot);
  renderHealth(snapshot, nowMs);
}

function renderStaleness() {
  const heldMs = Date.now() - feed.receivedAtMs;
  const isStale = feed.snapshot !== undefined && (!feed.isUp || heldMs > STALE_AFTER_MS);
  document.body.classList.toggle('stale', isStale);
  const banner = $('stale-banner');
  banner.hidden = !isStale;
  if (isStale) {
    const at = new Date(feed.snapshot.nowMs).toLocaleTimeString();
    banner.textContent = `Central is not answering: the figures below are from ${at} (${Math.round(heldMs / 1000)} s ago) and are not updating.`;
  }
}

function take(event, snapshot) {
  feed.snapshot = snapshot;
  feed.lastId = Number(event.lastEventId);
  feed.receivedAtMs = Date.now();
  feed.isUp = true;
  $('feed').className = 'feed feed-on';
  render();
  renderStaleness();
}

function connect() {
  const source = new EventSource('/v1/dashboard/events');
  source.onerror = () => {
    feed.isUp = false;
    $('feed').className = 'feed feed-off';
    renderStaleness();
  };
  source.addEventListener('snapshot', (event) => {
    try {
      take(event, JSON.parse(event.data));
    } catch (err) {
      $('sim-info').textContent = `cannot render the snapshot: ${err.message}`;
    }
  });
  source.addEventListener('delta', (event) => {
    const { base, ops } = JSON.parse(event.data);
    if (feed.snapshot === undefined || base !== feed.lastId) {
      // Out of step (a message lost): start again from a full snapshot.
      source.close();
      feed.isUp = false;
      connect();
      return;
    }
    try {
      take(event, applyDelta(feed.snapshot, ops));
    } catch (err) {
      $('sim-info').textContent = `cannot render the snapshot: ${err.message}`;
    }
  });
}

$('map-legend').replaceChildren(
  ...QUEUE_BANDS.map((band) => {
    const span = h('span', {}, band.name);
    span.style.setProperty('--c', band.colour);
    return span;
  }),
);
connect();
// Ages and the stale banner move on even when nothing arrives.
setInterval(() => {
  render();
  renderStaleness();
}, 1000);
