// Small SVG charts for the dashboard (no library, no CDN).
/* global document */
const SVG = 'http://www.w3.org/2000/svg';

export function el(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

export const clockText = (s) =>
  `${String(Math.floor(s / 3600) % 24).padStart(2, '0')}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}`;

/**
 * Line chart: series = [{ name, colour, points: [[x, y], ...] }]; x in seconds after midnight.
 * Returns an <svg> `widthPx` wide (default 600) and 200 high in its own units: give it the width it is shown at,
 * so that its labels keep their CSS size (a 600-unit chart squeezed onto a phone drew them about 5 px tall).
 */
export function lineChart(series, { yLabel = '', xMin, xMax, widthPx } = {}) {
  const W = Math.max(240, Math.round(widthPx || 600)),
    H = 200,
    L = 48,
    R = 10,
    T = 10,
    B = 24;
  const all = series.flatMap((s) => s.points);
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img' });
  if (all.length === 0) {
    svg.append(el('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle' }, 'no data yet'));
    return svg;
  }
  const x0 = xMin ?? Math.min(...all.map((p) => p[0]));
  const x1 = Math.max(xMax ?? -Infinity, ...all.map((p) => p[0]), x0 + 60);
  const yMax = niceCeil(Math.max(10, ...all.map((p) => p[1])));
  const sx = (x) => L + ((x - x0) / (x1 - x0)) * (W - L - R);
  const sy = (y) => H - B - (y / yMax) * (H - T - B);
  svg.append(el('line', { x1: L, y1: H - B, x2: W - R, y2: H - B, class: 'axis' }));
  svg.append(el('line', { x1: L, y1: T, x2: L, y2: H - B, class: 'axis' }));
  for (const f of [0, 0.5, 1]) {
    svg.append(el('text', { x: L - 4, y: sy(yMax * f) + 4, 'text-anchor': 'end' }, `${Math.round(yMax * f)}`));
  }
  svg.append(el('text', { x: 2, y: T + 8 }, yLabel));
  // About one time label per 90 px, on whole half hours.
  const labels = Math.max(2, Math.floor((W - L - R) / 90));
  const stepS = Math.max(1800, Math.ceil((x1 - x0) / labels / 1800) * 1800);
  for (let t = Math.ceil(x0 / stepS) * stepS; t <= x1; t += stepS) {
    svg.append(el('text', { x: sx(t), y: H - 6, 'text-anchor': 'middle' }, clockText(t)));
  }
  for (const s of series) {
    if (s.points.length === 0) continue;
    const d = s.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join('');
    svg.append(
      el('path', { d, fill: 'none', stroke: s.colour, 'stroke-width': 2, 'vector-effect': 'non-scaling-stroke' }),
    );
  }
  return svg;
}

/** Horizontal bar chart: bars = [{ name, colour, value }]. */
export function barChart(title, bars, unit = '') {
  const W = 300,
    rowH = 22,
    T = 20;
  const H = T + bars.length * rowH + 4;
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img' });
  svg.append(el('text', { x: 0, y: 13 }, title));
  const max = Math.max(1e-9, ...bars.map((b) => Math.abs(b.value)));
  bars.forEach((b, i) => {
    const y = T + i * rowH;
    const w = (Math.abs(b.value) / max) * (W - 175);
    svg.append(el('text', { x: 0, y: y + 14 }, b.name));
    svg.append(el('rect', { x: 90, y: y + 3, width: Math.max(1, w), height: rowH - 8, fill: b.colour, rx: 2 }));
    svg.append(el('text', { x: 94 + w, y: y + 14 }, `${formatNumber(b.value)}${unit}`));
  });
  return svg;
}

export function formatNumber(v) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '–';
  return Math.abs(v) >= 100 ? String(Math.round(v)) : String(Math.round(v * 10) / 10);
}

function niceCeil(v) {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

export const PALETTE = ['#2754b5', '#d64545', '#1f9d55', '#c77d00', '#7b3fb8', '#0e8c8c', '#8a8f98'];
