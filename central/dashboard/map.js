// The district map: drawn from the scenario's own geometry (nodes in metres, links), no tiles, works offline.
// Links coloured by their queue, each lot at its gate with its free bays, each sign at its place with its face.
import { el } from './chart.js';

/** How a sign's arrow is drawn in text, on the map and in the signs panel. */
export const ARROWS = {
  none: '',
  left: '←',
  right: '→',
  ahead: '↑',
  'ahead-left': '↖',
  'ahead-right': '↗',
  back: '↓',
  down: '↓',
  'down-left': '↙',
  'down-right': '↘',
};

/** Queue bands (m) and their colours: none, short, long, very long. */
export const QUEUE_BANDS = [
  { fromM: 0, colour: '#b8bfca', name: 'no queue' },
  { fromM: 0.1, colour: '#e8a317', name: 'queue < 50 m' },
  { fromM: 50, colour: '#e25822', name: '50–200 m' },
  { fromM: 200, colour: '#b3261e', name: '≥ 200 m' },
];

const queueColour = (m) => [...QUEUE_BANDS].reverse().find((band) => m >= band.fromM).colour;

function lotFree(snapshot, siteId, lotId) {
  const site = snapshot.sites.find((s) => s.id === siteId);
  const lot = site?.lots.find((l) => l.id === lotId);
  if (!site || !lot) return undefined;
  const rows = site.zones.filter(
    (z) => z.lotId === lotId && (lot.zones.length === 0 ? z.zoneId === '' : z.zoneId !== ''),
  );
  if (rows.length === 0) return undefined;
  let free = 0;
  let total = 0;
  for (const row of rows) {
    for (const c of Object.values(row.kinds ?? {})) {
      free += c.free;
      total += c.free + c.occupied + c.unknown;
    }
  }
  return { free, total };
}

function faceText(line) {
  const value =
    typeof line.value === 'number'
      ? String(line.value)
      : typeof line.value === 'string'
        ? line.value
        : (line.value?.text ?? line.text ?? '');
  return {
    text: `${line.label} ${ARROWS[line.arrow] ?? ''} ${value}`.replace(/\s+/g, ' ').trim(),
    colour: line.colour,
  };
}

/** The lines each sign shows now: the emulated sign's face from the twin, else what its edge reported. */
function signFaces(snapshot) {
  const faces = new Map();
  for (const site of snapshot.sites) for (const s of site.signs) faces.set(`${site.id}/${s.signId}`, s.lines);
  for (const s of snapshot.twin?.signs ?? []) if (s.message) faces.set(`${s.siteId}/${s.signId}`, s.message.lines);
  return faces;
}

const FACE_COLOURS = { green: '#35e06f', red: '#ff4d4d', amber: '#ffb000', yellow: '#ffb000', white: '#ffffff' };

/** An <svg> of the map, `widthPx` wide in its own units (one unit = one CSS pixel). */
export function renderMap(snapshot, widthPx) {
  const map = snapshot.map;
  const W = Math.max(280, Math.round(widthPx || 600));
  if (!map || map.nodes.length === 0) {
    const svg = el('svg', { viewBox: `0 0 ${W} 60`, role: 'img' });
    svg.append(el('text', { x: W / 2, y: 34, 'text-anchor': 'middle' }, 'no map yet (the twin sends it)'));
    return svg;
  }
  const xs = map.nodes.map((n) => n.xM);
  const ys = map.nodes.map((n) => n.yM);
  const minX = Math.min(...xs),
    maxX = Math.max(...xs),
    minY = Math.min(...ys),
    maxY = Math.max(...ys);
  const pad = 28;
  const dx = Math.max(1, maxX - minX),
    dy = Math.max(1, maxY - minY);
  const H = Math.round(Math.min(Math.max(((W - 2 * pad) * dy) / dx + 2 * pad, 240), W * 1.2));
  const scale = Math.min((W - 2 * pad) / dx, (H - 2 * pad) / dy);
  const ox = (W - dx * scale) / 2,
    oy = (H - dy * scale) / 2;
  const node = new Map(
    map.nodes.map((n) => [n.id, { x: ox + (n.xM - minX) * scale, y: H - oy - (n.yM - minY) * scale }]),
  );
  const linkById = new Map(map.links.map((l) => [l.id, l]));
  const queues = snapshot.twin?.linkQueuesM ?? {};
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'district map' });

  const links = el('g', { class: 'links' });
  for (const link of map.links) {
    const a = node.get(link.fromNodeId),
      b = node.get(link.toNodeId);
    const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    // Right-hand traffic: each direction drawn on its own side of the road's centre line.
    const nx = ((b.y - a.y) / len) * 2.5,
      ny = (-(b.x - a.x) / len) * 2.5;
    const queueM = queues[link.id] ?? 0;
    const line = el('line', {
      x1: (a.x + nx).toFixed(1),
      y1: (a.y + ny).toFixed(1),
      x2: (b.x + nx).toFixed(1),
      y2: (b.y + ny).toFixed(1),
      stroke: queueColour(queueM),
      'stroke-width': 2 + Math.min(3, link.laneCount),
      'stroke-linecap': 'round',
      'data-link': link.id,
      'data-queue-m': String(Math.round(queueM)),
    });
    line.append(
      el('title', {}, `${link.name ?? link.id}: ${queueM > 0 ? `${Math.round(queueM)} m queue` : 'no queue'}`),
    );
    links.append(line);
  }
  svg.append(links);

  const at = (edgeId) => node.get(linkById.get(edgeId)?.toNodeId);
  // Boxes already drawn (lot markers and labels, sign faces), so later ones go where they cover nothing.
  const taken = [];
  const overlap = (a, b) =>
    Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)) *
    Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  for (const lot of map.lots) {
    const p = at(lot.edgeId);
    if (!p) continue;
    const counts = lotFree(snapshot, lot.siteId, lot.lotId);
    const share = counts && counts.total > 0 ? counts.free / counts.total : undefined;
    const fill = share === undefined ? '#a0a6b1' : share > 0.2 ? '#1f9d55' : share > 0.05 ? '#e8a317' : '#d64545';
    const g = el('g', { class: 'lot', 'data-map-lot': lot.lotId, 'data-site': lot.siteId });
    g.append(el('circle', { cx: p.x.toFixed(1), cy: p.y.toFixed(1), r: 9, fill, stroke: '#fff', 'stroke-width': 2 }));
    const label = counts ? `${lot.lotId} ${counts.free} free` : lot.lotId;
    // Right of the marker, or left of it where the label would leave the map.
    const isLeft = p.x + 12 + label.length * 7.5 > W - 2;
    const x = (isLeft ? p.x - 12 : p.x + 12).toFixed(1);
    const anchor = isLeft ? 'end' : 'start';
    g.append(el('text', { x, y: (p.y + 4).toFixed(1), class: 'lot-label', 'text-anchor': anchor }, label));
    const labelW = label.length * 7.5;
    taken.push({ x: p.x - 10, y: p.y - 10, w: 20, h: 20 });
    taken.push({ x: isLeft ? p.x - 12 - labelW : p.x + 12, y: p.y - 9, w: labelW, h: 16 });
    svg.append(g);
  }

  const faces = signFaces(snapshot);
  for (const sign of map.signs) {
    const p = at(sign.edgeId);
    if (!p) continue;
    const lines = (faces.get(`${sign.siteId}/${sign.signId}`) ?? []).map(faceText);
    const boxW = Math.max(60, ...lines.map((l) => l.text.length * 7 + 10));
    const boxH = 14 * Math.max(1, lines.length) + 16;
    // Near the sign's point: above or below, left or right, then further out; the place covering least wins.
    let best;
    for (const [fx, fy] of [
      [-1, -1],
      [1, -1],
      [-1, 1],
      [1, 1],
      [-1, -2],
      [1, -2],
      [-1, 2],
      [1, 2],
    ]) {
      const x = Math.min(Math.max(2, fx < 0 ? p.x - boxW - 8 : p.x + 8), W - boxW - 2);
      const yRaw = fy < 0 ? p.y + fy * (boxH + 8) + (fy === -2 ? 8 : 0) : p.y + 8 + (fy - 1) * (boxH + 8);
      const y = Math.min(Math.max(2, yRaw), H - boxH - 2);
      const box = { x, y, w: boxW, h: boxH };
      const covered = taken.reduce((sum, other) => sum + overlap(box, other), 0);
      if (best === undefined || covered < best.covered) best = { ...box, covered };
      if (covered === 0) break;
    }
    taken.push(best);
    const { x, y } = best;
    const g = el('g', { class: 'map-sign', 'data-map-sign': sign.signId, 'data-site': sign.siteId });
    const cornerX = x + boxW / 2 < p.x ? x + boxW : x;
    const cornerY = y + boxH / 2 < p.y ? y + boxH : y;
    g.append(el('line', { x1: p.x, y1: p.y, x2: cornerX, y2: cornerY, stroke: '#111', 'stroke-width': 1 }));
    g.append(el('rect', { x, y, width: boxW, height: boxH, rx: 3, fill: '#111' }));
    g.append(el('text', { x: x + 5, y: y + 11, class: 'sign-id' }, sign.signId));
    lines.forEach((line, i) =>
      g.append(
        el(
          'text',
          { x: x + 5, y: y + 25 + i * 14, class: 'sign-line', fill: FACE_COLOURS[line.colour] ?? FACE_COLOURS.amber },
          line.text,
        ),
      ),
    );
    if (lines.length === 0) g.append(el('text', { x: x + 5, y: y + 25, class: 'sign-line', fill: '#777' }, '(blank)'));
    svg.append(g);
  }
  return svg;
}
