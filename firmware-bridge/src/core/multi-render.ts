/**
 * SignMessage ↔ MULTI for text signs, and the character layout of a parsed page. One page; per line
 * `[jl2][cfN]LABEL ARROW VALUE` (or, with the `split` layout, `[jl2][cfN]LABEL ARROW[jl4]VALUE`:
 * label left, count right), lines joined by `[nl]`. Arrows are the sign font's arrow glyphs
 * (`[hcX]`) where the sign declares them, else the ASCII look-alikes of a parking-sign font (`<`,
 * `>`, `^`…); colours are NTCIP classic colour numbers.
 */
import type { SignArrow, SignColour, SignLine, SignMessage } from '../signs/guidance-sign.js';
import type { Justification, MultiLine, MultiPage, MultiSignConfig, PageJustification } from './multi-parser.js';

export const ARROW_GLYPHS: Record<SignArrow, string> = {
  none: '',
  left: '<',
  right: '>',
  ahead: '^',
  'ahead-left': '\\',
  'ahead-right': '/',
  down: 'v',
  'down-left': '<v',
  'down-right': 'v>',
  back: 'U',
};

/** NTCIP 1203 classic colours: 1 red, 2 yellow, 3 green, 7 white, 9 amber. */
export const CLASSIC_COLOURS: Record<SignColour, string> = {
  red: '1',
  yellow: '2',
  green: '3',
  white: '7',
  amber: '9',
};

/** How a text sign draws its arrows and lays out a guidance line. */
export interface MultiRenderOptions {
  /** Character code of each arrow in the sign's font (shown with `[hcX]`); arrows not listed use ASCII. */
  arrowGlyphs?: Partial<Record<SignArrow, number>>;
  /** `inline` (default): `P2 < 23` from the left; `split`: `P2 <` on the left, `23` on the right. */
  lineLayout?: 'inline' | 'split';
}

function valueText(line: SignLine): string {
  return typeof line.value === 'number'
    ? String(line.value)
    : typeof line.value === 'string'
      ? line.value
      : line.value.text;
}

function arrowMulti(arrow: SignArrow, options: MultiRenderOptions): string {
  const code = options.arrowGlyphs?.[arrow];
  return code === undefined ? escapeMultiText(ARROW_GLYPHS[arrow]) : `[hc${code.toString(16)}]`;
}

/** The line as plain text with ASCII arrows (for logs and the Modbus sign's read-back). */
export function lineText(line: SignLine): string {
  return [line.label, ARROW_GLYPHS[line.arrow], valueText(line)].filter((part) => part !== '').join(' ');
}

export function escapeMultiText(text: string): string {
  return text.replace(/\[/g, '[[').replace(/\]/g, ']]');
}

function lineMulti(line: SignLine, options: MultiRenderOptions): string {
  const head = [escapeMultiText(line.label), arrowMulti(line.arrow, options)].filter((p) => p !== '').join(' ');
  const value = escapeMultiText(valueText(line));
  const colour = `[jl2][cf${CLASSIC_COLOURS[line.colour]}]`;
  if (options.lineLayout === 'split' && head !== '' && value !== '') return `${colour}${head}[jl4]${value}`;
  return colour + [head, value].filter((p) => p !== '').join(' ');
}

export function renderMulti(message: SignMessage, options: MultiRenderOptions = {}): string {
  return message.lines.map((line) => lineMulti(line, options)).join('[nl]');
}

const COLOUR_BY_NUMBER = new Map(Object.entries(CLASSIC_COLOURS).map(([c, n]) => [n, c as SignColour]));

function glyphArrows(options: MultiRenderOptions): Map<string, SignArrow> {
  const byGlyph = new Map<string, SignArrow>();
  for (const [arrow, glyph] of Object.entries(ARROW_GLYPHS)) if (glyph !== '') byGlyph.set(glyph, arrow as SignArrow);
  for (const [arrow, code] of Object.entries(options.arrowGlyphs ?? {})) {
    if (code !== undefined) byGlyph.set(String.fromCharCode(code), arrow as SignArrow);
  }
  return byGlyph;
}

/** Best-effort inverse of {@link renderMulti} for read-back of the first page. */
export function messageFromPage(page: MultiPage, options: MultiRenderOptions = {}): SignMessage {
  const byGlyph = glyphArrows(options);
  return {
    lines: page.lines.map((line): SignLine => {
      const words = line.text.split(' ').filter((w) => w !== '');
      let label = '';
      let arrow: SignArrow = 'none';
      if (words.length > 1 && !byGlyph.has(words[0]!)) label = words.shift()!;
      if (words.length > 1 && byGlyph.has(words[0]!)) arrow = byGlyph.get(words.shift()!)!;
      const rest = words.join(' ');
      const value = /^[0-9]+$/.test(rest) ? Number(rest) : rest === 'FULL' || rest === 'CLOSED' ? rest : { text: rest };
      return { label, arrow, value, colour: COLOUR_BY_NUMBER.get(line.colour) ?? 'amber' };
    }),
  };
}

function layoutLine(line: MultiLine, width: number): string {
  const row = Array.from({ length: width }, () => ' ');
  const text = (j: Justification) =>
    line.segments
      .filter((s) => s.justification === j)
      .map((s) => s.text)
      .join('');
  const place = (part: string, at: number) => [...part].forEach((ch, i) => (row[at + i] = ch));
  place(text('left'), 0);
  const centre = text('center');
  place(centre, Math.floor((width - centre.length) / 2));
  const right = text('right');
  place(right, width - right.length);
  return row.join('');
}

/**
 * What a character sign shows for a parsed page: `lines` rows of `charsPerLine` characters, lines
 * placed by their page justification (top from the first row, bottom up from the last, middle
 * centred between) and their segments by line justification.
 */
export function layoutPage(page: MultiPage, config: Pick<MultiSignConfig, 'lines' | 'charsPerLine'>): string[] {
  const rows = Array.from({ length: config.lines }, () => ' '.repeat(config.charsPerLine));
  const group = (j: PageJustification) => page.lines.filter((l) => l.pageJustification === j);
  const [top, middle, bottom] = [group('top'), group('middle'), group('bottom')];
  top.forEach((line, i) => (rows[i] = layoutLine(line, config.charsPerLine)));
  const bottomStart = config.lines - bottom.length;
  bottom.forEach((line, i) => (rows[bottomStart + i] = layoutLine(line, config.charsPerLine)));
  const middleStart = top.length + Math.floor((bottomStart - top.length - middle.length) / 2);
  middle.forEach((line, i) => (rows[middleStart + i] = layoutLine(line, config.charsPerLine)));
  return rows;
}
