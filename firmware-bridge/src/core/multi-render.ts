/**
 * SignMessage ↔ MULTI for text signs. One page; per line `[jl2][cfN]LABEL ARROW VALUE`, lines
 * joined by `[nl]`. Arrows are the ASCII glyphs of a parking-sign font (`<`, `>`, `^`…); colours
 * are NTCIP classic colour numbers.
 */
import type { SignArrow, SignColour, SignLine, SignMessage } from '../signs/guidance-sign.js';
import type { MultiPage } from './multi-parser.js';

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

export function lineText(line: SignLine): string {
  const value =
    typeof line.value === 'number' ? String(line.value) : typeof line.value === 'string' ? line.value : line.value.text;
  return [line.label, ARROW_GLYPHS[line.arrow], value].filter((part) => part !== '').join(' ');
}

export function escapeMultiText(text: string): string {
  return text.replace(/\[/g, '[[').replace(/\]/g, ']]');
}

export function renderMulti(message: SignMessage): string {
  return message.lines
    .map((line) => `[jl2][cf${CLASSIC_COLOURS[line.colour]}]${escapeMultiText(lineText(line))}`)
    .join('[nl]');
}

const GLYPH_ARROW = new Map(
  Object.entries(ARROW_GLYPHS)
    .filter(([, g]) => g !== '')
    .map(([a, g]) => [g, a as SignArrow]),
);
const COLOUR_BY_NUMBER = new Map(Object.entries(CLASSIC_COLOURS).map(([c, n]) => [n, c as SignColour]));

/** Best-effort inverse of {@link renderMulti} for read-back of the first page. */
export function messageFromPage(page: MultiPage): SignMessage {
  return {
    lines: page.lines.map((line): SignLine => {
      const words = line.text.split(' ').filter((w) => w !== '');
      let label = '';
      let arrow: SignArrow = 'none';
      if (words.length > 1 && !GLYPH_ARROW.has(words[0]!)) label = words.shift()!;
      if (words.length > 1 && GLYPH_ARROW.has(words[0]!)) arrow = GLYPH_ARROW.get(words.shift()!)!;
      const rest = words.join(' ');
      const value = /^[0-9]+$/.test(rest) ? Number(rest) : rest === 'FULL' || rest === 'CLOSED' ? rest : { text: rest };
      return { label, arrow, value, colour: COLOUR_BY_NUMBER.get(line.colour) ?? 'amber' };
    }),
  };
}
