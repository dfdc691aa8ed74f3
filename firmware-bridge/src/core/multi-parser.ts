/**
 * NTCIP 1203 MULTI markup: parse and validate against a sign's lines, characters per line and
 * fonts. Supported tags: `[nl]`/`[nlS]`, `[np]`, `[jl2]`..`[jl5]`, `[jp2]`..`[jp4]`, `[foN]`/`[foN,cccc]`,
 * `[cfN]`/`[cfR,G,B]`, `[ptXoY]`, `[fl]`/`[flXoY]` and `[/fl]`; `[[` and `]]` are literal brackets.
 * Errors carry the NTCIP `dmsMultiSyntaxError` name and the 1-based character position, as a sign
 * reports them after `dmsActivateMsgError` = `syntaxMULTI`.
 */

/** NTCIP 1203 `dmsMultiSyntaxError` values this parser reports (with their numeric codes). */
export const MULTI_SYNTAX_ERROR = {
  other: 1,
  unsupportedTag: 3,
  unsupportedTagValue: 4,
  textTooBig: 5,
  fontNotDefined: 6,
  characterNotDefined: 7,
  tagConflict: 11,
  tooManyPages: 12,
} as const;

export type MultiSyntaxError = keyof typeof MULTI_SYNTAX_ERROR;

export interface MultiError {
  error: MultiSyntaxError;
  /** 1-based character position of the offending tag or character (`dmsMultiSyntaxErrorPosition`). */
  position: number;
  reason: string;
}

export type Justification = 'left' | 'center' | 'right' | 'full';

export interface MultiLine {
  text: string;
  justification: Justification;
  font: number;
  /** Classic colour number (0–9) or `r,g,b`. */
  colour: string;
  isFlashing: boolean;
}

export interface MultiPage {
  lines: MultiLine[];
  /** Page on/off times in tenths of a second, when given by `[pt]`. */
  pageOnDs?: number;
  pageOffDs?: number;
}

export interface MultiSignConfig {
  lines: number;
  charsPerLine: number;
  /** Font numbers the sign has. Default [1]. */
  fonts?: readonly number[];
  /** Default font. Default 1. */
  defaultFont?: number;
  /** Default 6. */
  maxPages?: number;
}

export type MultiParseResult = { ok: true; pages: MultiPage[] } | ({ ok: false } & MultiError);

const JUSTIFICATION: Record<string, Justification> = { '2': 'left', '3': 'center', '4': 'right', '5': 'full' };

export function parseMulti(multi: string, config: MultiSignConfig): MultiParseResult {
  const fonts = config.fonts ?? [1];
  const maxPages = config.maxPages ?? 6;
  let font = config.defaultFont ?? 1;
  let colour = '9';
  let justification: Justification = 'center';
  let isFlashing = false;
  const pages: MultiPage[] = [{ lines: [] }];
  let line: MultiLine = { text: '', justification, font, colour, isFlashing };
  const fail = (error: MultiSyntaxError, position: number, reason: string): MultiParseResult => ({
    ok: false,
    error,
    position,
    reason,
  });
  const page = () => pages[pages.length - 1]!;
  const endLine = (position: number): MultiParseResult | undefined => {
    page().lines.push(line);
    if (page().lines.length > config.lines) {
      return fail('textTooBig', position, `more than ${config.lines} lines on page ${pages.length}`);
    }
    line = { text: '', justification, font, colour, isFlashing };
    return undefined;
  };

  let i = 0;
  while (i < multi.length) {
    const ch = multi[i]!;
    const position = i + 1;
    if (ch === ']' && multi[i + 1] === ']') {
      line.text += ']';
      i += 2;
    } else if (ch === '[' && multi[i + 1] === '[') {
      line.text += '[';
      i += 2;
    } else if (ch === '[') {
      const close = multi.indexOf(']', i);
      if (close === -1) return fail('other', position, 'unterminated tag');
      const tag = multi.slice(i + 1, close).toLowerCase();
      i = close + 1;
      let m = [] as unknown as RegExpMatchArray;
      const test = (re: RegExp): boolean => {
        const found = tag.match(re);
        if (found !== null) m = found;
        return found !== null;
      };
      if (test(/^nl([0-9])?$/)) {
        const failed = endLine(position);
        if (failed) return failed;
      } else if (tag === 'np') {
        const failed = endLine(position);
        if (failed) return failed;
        if (pages.length >= maxPages) return fail('tooManyPages', position, `more than ${maxPages} pages`);
        pages.push({ lines: [] });
      } else if (test(/^jl([0-9])$/)) {
        const value = JUSTIFICATION[m[1]!];
        if (value === undefined) return fail('unsupportedTagValue', position, `[jl${m[1]}]: expected 2..5`);
        if (line.text !== '') return fail('tagConflict', position, '[jl] must start a line');
        justification = value;
        line.justification = value;
      } else if (test(/^jp([0-9])$/)) {
        if (!['2', '3', '4'].includes(m[1]!))
          return fail('unsupportedTagValue', position, `[jp${m[1]}]: expected 2..4`);
      } else if (test(/^fo([0-9]{1,3})?(?:,([0-9a-f]{4}))?$/)) {
        const number = m[1] === undefined ? (config.defaultFont ?? 1) : Number(m[1]);
        if (!fonts.includes(number))
          return fail('fontNotDefined', position, `font ${number} not on this sign (has ${fonts.join(', ')})`);
        font = number;
        line.font = number;
      } else if (test(/^cf(?:([0-9])|([0-9]{1,3}),([0-9]{1,3}),([0-9]{1,3}))?$/)) {
        if (m[2] !== undefined && [m[2], m[3], m[4]].some((v) => Number(v) > 255)) {
          return fail('unsupportedTagValue', position, `[cf${tag.slice(2)}]: components 0..255`);
        }
        colour = m[1] ?? (m[2] === undefined ? '9' : `${m[2]},${m[3]},${m[4]}`);
        line.colour = colour;
      } else if (test(/^pt([0-9]{1,3})?(?:o([0-9]{1,3}))?$/)) {
        if (m[1] !== undefined) page().pageOnDs = Number(m[1]);
        if (m[2] !== undefined) page().pageOffDs = Number(m[2]);
      } else if (/^fl(?:[0-9]{1,2}o[0-9]{1,2}|[0-9]{1,2}o|o[0-9]{1,2})?$/.test(tag)) {
        if (isFlashing) return fail('tagConflict', position, 'nested [fl]');
        isFlashing = true;
        line.isFlashing = true;
      } else if (tag === '/fl') {
        isFlashing = false;
      } else {
        return fail('unsupportedTag', position, `unsupported tag [${tag}]`);
      }
    } else if (ch === ']') {
      return fail('other', position, 'unmatched "]"');
    } else {
      const code = ch.charCodeAt(0);
      if (code < 0x20 || code > 0x7e)
        return fail(
          'characterNotDefined',
          position,
          `character U+${code.toString(16).padStart(4, '0')} not in the font`,
        );
      line.text += ch;
      if (line.text.length > config.charsPerLine) {
        return fail('textTooBig', position, `line longer than ${config.charsPerLine} characters`);
      }
      i += 1;
    }
  }
  const failed = endLine(multi.length);
  if (failed) return failed;
  return { ok: true, pages };
}
