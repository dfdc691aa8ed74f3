// A driver's page: shows the plan of the link's token and asks again every `refreshS` seconds, so a changed plan
// (another lot, another window, a bay freed for a wait-listed car) and the lot's free count show without a reload.
/* global document, location, fetch, setTimeout */
'use strict';

const token = location.pathname.split('/').filter(Boolean)[1] ?? '';
const KIND = { standard: 'Standard', accessible: 'Accessible', family: 'Family', ev: 'EV charging' };
let shownVersion = null;

function text(id, value) {
  const element = document.getElementById(id);
  element.textContent = value;
  return element;
}

function fact(list, term, value) {
  if (value === undefined || value === null || value === '') return;
  const dt = document.createElement('dt');
  dt.textContent = term;
  const dd = document.createElement('dd');
  dd.textContent = value;
  list.append(dt, dd);
}

function render(view) {
  text('site', view.siteName);
  text('headline', view.headline);
  const lot = document.getElementById('lot');
  lot.hidden = view.lot === undefined;
  if (view.lot !== undefined) {
    text('lot-name', view.lot.name);
    const free = view.kind !== undefined && view.lot.freeOfKind !== null ? view.lot.freeOfKind : view.lot.free;
    text('free', free === null ? '–' : String(free));
    text(
      'free-label',
      view.lot.freeOfKind !== null ? `${(KIND[view.kind] ?? 'matching').toLowerCase()} bays free now` : 'bays free now',
    );
  }
  const facts = document.getElementById('facts');
  facts.replaceChildren();
  if (view.arrivalWindow !== undefined) fact(facts, 'Arrive', `${view.arrivalWindow.from}–${view.arrivalWindow.to}`);
  if (view.kind !== undefined) fact(facts, 'Bay', KIND[view.kind] ?? view.kind);
  if (view.zoneId !== undefined) fact(facts, 'Zone', view.zoneId);
  if (view.entrance !== undefined)
    fact(
      facts,
      'Entrance',
      view.entrance.walkMin === null ? view.entrance.name : `${view.entrance.name} (${view.entrance.walkMin} min walk)`,
    );
  if (view.shuttle !== undefined)
    fact(facts, 'Shuttle', `every ${view.shuttle.everyMin} min, ${view.shuttle.rideMin} min ride`);
  if (view.suggestedStart !== undefined)
    fact(facts, 'Suggested time', `${view.suggestedStart} (the hospital will confirm)`);
  if (view.routeText !== undefined) fact(facts, 'Route', view.routeText);
  facts.hidden = facts.childElementCount === 0;
  const turns = document.getElementById('turns');
  turns.replaceChildren(
    ...(view.lot?.lastTurns ?? []).map((turn) => Object.assign(document.createElement('li'), { textContent: turn })),
  );
  document.getElementById('turns-section').hidden = turns.childElementCount === 0;
  if (shownVersion !== null && view.version !== shownVersion) document.getElementById('changed').hidden = false;
  shownVersion = view.version;
  text(
    'updated',
    `Updated ${new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })}`,
  );
}

async function refresh() {
  let refreshS = 30;
  try {
    const response = await fetch(`/v1/driver/${encodeURIComponent(token)}`, { cache: 'no-store' });
    if (response.status === 404) {
      text('headline', 'This link is not valid.');
      return;
    }
    if (response.ok) {
      const view = await response.json();
      refreshS = view.refreshS;
      render(view);
    }
  } catch {
    text('updated', 'Offline: showing the last plan received.');
  }
  setTimeout(refresh, refreshS * 1000);
}

void refresh();
