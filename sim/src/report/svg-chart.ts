/** Small, dependency-free SVG charts for the offline HTML report. */

export interface LineSeries {
  name: string;
  /** `[x, y]` pairs, x ascending. */
  points: ReadonlyArray<readonly [number, number]>;
  isDashed?: boolean;
  /** Palette slot; default the series' position. Lets a dashed reference line share its series' colour. */
  colorIndex?: number;
  /** Leave out of the legend (e.g. a capacity line). */
  isHiddenInLegend?: boolean;
}

export interface LineChartSpec {
  title: string;
  yLabel: string;
  series: readonly LineSeries[];
  /** Formats an x value for the axis (e.g. seconds after midnight → `08:30`). */
  formatX: (x: number) => string;
  widthPx?: number;
  heightPx?: number;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
const MARGIN = { left: 58, right: 12, top: 28, bottom: 44 };

export function colorAt(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A "nice" axis maximum and step: 1, 2 or 5 times a power of ten, about five ticks. */
export function niceScale(maxValue: number): { max: number; step: number } {
  if (!(maxValue > 0)) return { max: 1, step: 0.2 };
  const rough = maxValue / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  return { max: Math.ceil(maxValue / step) * step, step };
}

function formatNumber(value: number): string {
  return Math.abs(value) >= 1000 ? `${Math.round(value / 100) / 10}k` : String(Math.round(value * 100) / 100);
}

export function lineChart(spec: LineChartSpec): string {
  const width = spec.widthPx ?? 640;
  const height = spec.heightPx ?? 260;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  // Loops, not Math.min(...xs): spreading a 10,000-run sweep's points as arguments overflowed the call stack.
  let [xMin, xMax, yTop] = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0];
  for (const series of spec.series) {
    for (const [x, y] of series.points) {
      if (x < xMin) xMin = x;
      if (x > xMax) xMax = x;
      if (y > yTop) yTop = y;
    }
  }
  if (xMin > xMax) [xMin, xMax] = [0, 1];
  if (xMax < xMin + 1) xMax = xMin + 1;
  const { max: yMax, step } = niceScale(yTop);
  const px = (x: number) => MARGIN.left + ((x - xMin) / (xMax - xMin)) * plotW;
  const py = (y: number) => MARGIN.top + plotH - (y / yMax) * plotH;
  const parts: string[] = [];
  parts.push(`<text x="${width / 2}" y="16" text-anchor="middle" class="title">${escapeXml(spec.title)}</text>`);
  for (let y = 0; y <= yMax + step / 2; y += step) {
    parts.push(`<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${py(y)}" y2="${py(y)}" class="grid"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${py(y) + 4}" text-anchor="end">${formatNumber(y)}</text>`);
  }
  const xTicks = 6;
  for (let i = 0; i <= xTicks; i++) {
    const x = xMin + ((xMax - xMin) * i) / xTicks;
    parts.push(
      `<text x="${px(x)}" y="${height - MARGIN.bottom + 16}" text-anchor="middle">${escapeXml(spec.formatX(x))}</text>`,
    );
  }
  parts.push(
    `<text transform="translate(14 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(spec.yLabel)}</text>`,
  );
  let legendSlot = 0;
  spec.series.forEach((series, i) => {
    const color = colorAt(series.colorIndex ?? i);
    const d = series.points.map((p) => `${px(p[0]).toFixed(1)},${py(p[1]).toFixed(1)}`).join(' ');
    const dash = series.isDashed === true ? ' stroke-dasharray="5 4" stroke-opacity="0.7"' : '';
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="1.8"${dash} points="${d}"/>`);
    if (series.isHiddenInLegend === true) return;
    const slot = legendSlot++;
    const lx = MARGIN.left + (slot % 4) * (plotW / 4);
    const ly = height - 14 + Math.floor(slot / 4) * 12;
    parts.push(`<rect x="${lx}" y="${ly - 9}" width="10" height="10" fill="${color}"/>`);
    parts.push(`<text x="${lx + 14}" y="${ly}">${escapeXml(series.name)}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(spec.title)}">${parts.join('')}</svg>`;
}

export interface BarChartSpec {
  title: string;
  unit: string;
  bars: ReadonlyArray<{ label: string; value: number }>;
  widthPx?: number;
}

/** Horizontal bars, one per label (e.g. one per policy). */
export function barChart(spec: BarChartSpec): string {
  const width = spec.widthPx ?? 640;
  const rowH = 24;
  const labelW = 150;
  const height = 30 + spec.bars.length * rowH + 10;
  let top = 0;
  for (const bar of spec.bars) if (bar.value > top) top = bar.value;
  const { max } = niceScale(top);
  const barW = width - labelW - 90;
  const parts = [`<text x="${width / 2}" y="16" text-anchor="middle" class="title">${escapeXml(spec.title)}</text>`];
  spec.bars.forEach((bar, i) => {
    const y = 28 + i * rowH;
    const w = (bar.value / max) * barW;
    parts.push(`<text x="${labelW - 8}" y="${y + 15}" text-anchor="end">${escapeXml(bar.label)}</text>`);
    parts.push(`<rect x="${labelW}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 8}" fill="${colorAt(i)}"/>`);
    parts.push(
      `<text x="${labelW + w + 6}" y="${y + 15}">${escapeXml(`${formatNumber(bar.value)} ${spec.unit}`)}</text>`,
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(spec.title)}">${parts.join('')}</svg>`;
}
