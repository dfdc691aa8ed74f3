/**
 * NTCIP 1203 MULTI markup: parse and validate against a character sign's lines, characters per
 * line, fonts and glyphs. Tags are read by `multi-tags.ts`; `[[` and `]]` are literal brackets.
 * A line is made of segments: a justification change inside a line (`P2[jl4]23`, the usual
 * label-left, count-right parking layout) starts a new segment, in left → centre → right order, as
 * NTCIP 1203 and IRIS lay them out. Errors carry the NTCIP `dmsMultiSyntaxError` name and the
 * 1-based character position, as a sign reports them after `dmsActivateMsgError` = `syntaxMULTI`.
 */
import { type Justification, type MultiFlash, type PageJustification, parseTag } from './multi-tags.js';

export type { Justification, MultiFlash, PageJustification } from './multi-tags.js';

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

/** A run of text with one justification, font, colour and flash. */
export interface MultiSegment {
  text: string;
  justification: Justification;
  font: number;
  /** Classic colour number (0–9) or `r,g,b`. */
  colour: string;
  isFlashing: boolean;
  flash?: MultiFlash;
}

export interface MultiLine {
  /** The line's text: its left, centred and right text, joined by one space. */
  text: string;
  /** Justification of the first segment (the current one on an empty line). */
  justification: Justification;
  pageJustification: PageJustification;
  /** Font, colour and flash of the first segment. */
  font: number;
  colour: string;
  isFlashing: boolean;
  segments: MultiSegment[];
  /** Spacing above this line from `[nlS]`, in pixels. */
  spacingPx?: number;
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
  /** What `[jl]` and an untagged line use. Default `center` (NTCIP 1203's default, as IRIS's). */
  defaultJustification?: Justification;
  /** What `[jp]` and an untagged page use. Default `top`. */
  defaultPageJustification?: PageJustification;
  /** Character codes the sign's font has beyond printable ASCII (0x20–0x7E), e.g. arrow glyphs for `[hcX]`. */
  glyphs?: readonly number[];
}

export type MultiParseResult = { ok: true; pages: MultiPage[] } | ({ ok: false } & MultiError);

const ORDER: Record<Justification, number> = { left: 0, center: 1, right: 2 };
const PAGE_ORDER: Record<PageJustification, number> = { top: 0, middle: 1, bottom: 2 };

class Failure {
  constructor(readonly error: MultiError) {}
}

function fail(error: MultiSyntaxError, position: number, reason: string): never {
  throw new Failure({ error, position, reason });
}

/** Parses `multi` for a sign of `config`; never throws. */
export function parseMulti(multi: string, config: MultiSignConfig): MultiParseResult {
  try {
    return { ok: true, pages: new MultiReader(config).read(multi) };
  } catch (err) {
    if (err instanceof Failure) return { ok: false, ...err.error };
    throw err;
  }
}

class MultiReader {
  private readonly fonts: readonly number[];
  private readonly defaultFont: number;
  private readonly defaultJustification: Justification;
  private readonly defaultPage: PageJustification;
  private readonly glyphs: ReadonlySet<number>;
  private font: number;
  private colour = '9';
  private justification: Justification;
  private justificationAt = 0;
  private pageJustification: PageJustification;
  private flash: MultiFlash | undefined;
  private readonly pages: MultiPage[] = [{ lines: [] }];
  private line: MultiLine;

  constructor(private readonly config: MultiSignConfig) {
    this.fonts = config.fonts ?? [1];
    this.defaultFont = config.defaultFont ?? 1;
    this.defaultJustification = config.defaultJustification ?? 'center';
    this.defaultPage = config.defaultPageJustification ?? 'top';
    this.glyphs = new Set(config.glyphs ?? []);
    this.font = this.defaultFont;
    this.justification = this.defaultJustification;
    this.pageJustification = this.defaultPage;
    this.line = this.newLine();
  }

  read(multi: string): MultiPage[] {
    let i = 0;
    while (i < multi.length) {
      const ch = multi[i]!;
      const position = i + 1;
      if ((ch === '[' || ch === ']') && multi[i + 1] === ch) {
        this.addChar(ch, position);
        i += 2;
      } else if (ch === '[') {
        const close = multi.indexOf(']', i);
        if (close === -1) fail('other', position, 'unterminated tag');
        this.applyTag(multi.slice(i + 1, close), position);
        i = close + 1;
      } else if (ch === ']') {
        fail('other', position, 'unmatched "]"');
      } else {
        const code = ch.charCodeAt(0);
        if (code < 0x20 || code > 0x7e) {
          fail('characterNotDefined', position, `character U+${code.toString(16).padStart(4, '0')} not in the font`);
        }
        this.addChar(ch, position);
        i += 1;
      }
    }
    this.endLine(multi.length);
    return this.pages;
  }

  private page(): MultiPage {
    return this.pages[this.pages.length - 1]!;
  }

  private newLine(spacingPx?: number): MultiLine {
    const line: MultiLine = {
      text: '',
      justification: this.justification,
      pageJustification: this.pageJustification,
      font: this.font,
      colour: this.colour,
      isFlashing: this.flash !== undefined,
      segments: [],
    };
    if (spacingPx !== undefined) line.spacingPx = spacingPx;
    return line;
  }

  private hasText(): boolean {
    return this.line.segments.length > 0;
  }

  private addChar(ch: string, position: number): void {
    const segments = this.line.segments;
    const last = segments[segments.length - 1];
    if (last && ORDER[this.justification] < ORDER[last.justification]) {
      fail(
        'tagConflict',
        this.justificationAt,
        `[jl] goes back to ${this.justification} after ${last.justification} text`,
      );
    }
    const isSame =
      last !== undefined &&
      last.justification === this.justification &&
      last.font === this.font &&
      last.colour === this.colour &&
      last.flash === this.flash;
    if (isSame) last.text += ch;
    else {
      const segment: MultiSegment = {
        text: ch,
        justification: this.justification,
        font: this.font,
        colour: this.colour,
        isFlashing: this.flash !== undefined,
      };
      if (this.flash !== undefined) segment.flash = this.flash;
      segments.push(segment);
      if (segments.length === 1) {
        const { justification, font, colour, isFlashing } = segment;
        Object.assign(this.line, { justification, font, colour, isFlashing });
      }
    }
    const width = segments.reduce((n, s) => n + s.text.length, 0);
    if (width > this.config.charsPerLine) {
      fail('textTooBig', position, `line longer than ${this.config.charsPerLine} characters`);
    }
  }

  private endLine(position: number, spacingPx?: number): void {
    const line = this.line;
    const group = (j: Justification) =>
      line.segments
        .filter((s) => s.justification === j)
        .map((s) => s.text)
        .join('');
    const texts = [group('left'), group('center'), group('right')];
    line.text = texts.filter((t) => t !== '').join(' ');
    const [left, centre, right] = texts.map((t) => t.length) as [number, number, number];
    const centreStart = Math.floor((this.config.charsPerLine - centre) / 2);
    if (centre > 0 && (centreStart < left || centreStart + centre > this.config.charsPerLine - right)) {
      fail('textTooBig', position, 'centred text overlaps the left or right text of its line');
    }
    const page = this.page();
    page.lines.push(line);
    if (page.lines.length > this.config.lines) {
      fail('textTooBig', position, `more than ${this.config.lines} lines on page ${this.pages.length}`);
    }
    this.line = this.newLine(spacingPx);
  }

  private applyTag(raw: string, position: number): void {
    const parsed = parseTag(raw);
    if (!parsed.ok) fail(parsed.error, position, `[${raw.slice(0, 40)}]: ${parsed.error}`);
    const tag = parsed.tag;
    switch (tag.kind) {
      case 'new-line':
        this.endLine(position, tag.spacingPx);
        return;
      case 'new-page': {
        this.endLine(position);
        if (this.pages.length >= (this.config.maxPages ?? 6)) {
          fail('tooManyPages', position, `more than ${this.config.maxPages ?? 6} pages`);
        }
        this.pages.push({ lines: [] });
        this.pageJustification = this.defaultPage;
        this.line.pageJustification = this.pageJustification;
        return;
      }
      case 'justify-line':
        this.justification = tag.value ?? this.defaultJustification;
        this.justificationAt = position;
        if (!this.hasText()) this.line.justification = this.justification;
        return;
      case 'justify-page': {
        const value = tag.value ?? this.defaultPage;
        if (PAGE_ORDER[value] < PAGE_ORDER[this.pageJustification]) {
          fail('tagConflict', position, `[jp] goes back to ${value} after ${this.pageJustification}`);
        }
        // A new page justification starts a new region, so text already on this line ends it.
        if (value !== this.pageJustification && this.hasText()) this.endLine(position);
        this.pageJustification = value;
        this.line.pageJustification = value;
        return;
      }
      case 'font': {
        const number = tag.number ?? this.defaultFont;
        if (!this.fonts.includes(number)) {
          fail('fontNotDefined', position, `font ${number} not on this sign (has ${this.fonts.join(', ')})`);
        }
        this.font = number;
        if (!this.hasText()) this.line.font = number;
        return;
      }
      case 'colour':
        this.colour = tag.value ?? '9';
        if (!this.hasText()) this.line.colour = this.colour;
        return;
      case 'page-time':
        if (tag.onDs !== undefined) this.page().pageOnDs = tag.onDs;
        if (tag.offDs !== undefined) this.page().pageOffDs = tag.offDs;
        return;
      case 'flash':
        if (this.flash !== undefined) fail('tagConflict', position, 'nested [fl]');
        this.flash = tag.flash;
        if (!this.hasText()) this.line.isFlashing = true;
        return;
      case 'flash-end':
        this.flash = undefined;
        return;
      case 'character': {
        const isPrintable = tag.code >= 0x20 && tag.code <= 0x7e;
        if (!isPrintable && !this.glyphs.has(tag.code)) {
          fail('characterNotDefined', position, `character 0x${tag.code.toString(16)} not in the font`);
        }
        this.addChar(String.fromCharCode(tag.code), position);
        return;
      }
    }
  }
}
