/**
 * MULTI strings built from NTCIP 1203's tags, each with what citybay's parser must answer on
 * {@link TABLE_SIGN}, and where IRIS answers otherwise, why. IRIS's answers are recorded in
 * `test/peers/iris/multi-iris-results.json` by `test/peers/iris/run.sh` (IRIS's Java `MultiString` and
 * the `ntcip` crate IRIS renders with); `multi-table.test.ts` holds both to this table.
 */
import type { MultiSyntaxError } from '../../src/core/multi-parser.js';
import type { MultiTextSignConfig } from '../../src/signs/multi-text-sign.js';

/** A 3 × 16 character sign with fonts 1 and 2 and arrow glyphs at 0x80–0x88. */
export const TABLE_SIGN: MultiTextSignConfig = {
  lines: 3,
  charsPerLine: 16,
  fonts: [1, 2],
  maxPages: 6,
  arrowGlyphs: { left: 0x80, right: 0x81, ahead: 0x82 },
};

/** Accepted (with the first page's rows when they matter) or refused with an error at a position. */
export type Expected = 'ok' | { rows: string[] } | [MultiSyntaxError, number];

export interface MultiCase {
  multi: string;
  expected: Expected;
  /** Why IRIS's Java `MultiString.isValid()` answers otherwise. */
  javaDiffers?: string;
  /** Why the `ntcip` crate's MULTI parser (IRIS's renderer) answers otherwise. */
  ntcipDiffers?: string;
}

const SIGN_LIMIT = 'a sign limit (fonts, glyphs, size): IRIS checks it when rendering for a sign, not when parsing';
const JAVA_LAX = 'MultiString.isValid() only checks that a tag is known and text characters are printable';
const NOT_ON_CHARACTER_SIGN = 'a tag IRIS reads but a character sign without graphics cannot show';
const NO_FLASH_IN_JAVA = 'IRIS`s Java MultiString does not know [fl] tags (it cannot show flashing text)';
const RENDER_REFUSES = 'the ntcip crate parses it and refuses it when rendering (1 other and 5 full are not laid out)';

const rows = (...r: string[]) => ({ rows: r.map((x) => x.padEnd(16, ' ')) });

export const MULTI_CASES: MultiCase[] = [
  // Line justification, within and across lines.
  { multi: '[jl2]P2 23', expected: rows('P2 23', '', '') },
  { multi: '[jl3]P2 23', expected: rows('     P2 23', '', '') },
  { multi: '[jl4]P2 23', expected: rows('           P2 23', '', '') },
  { multi: '[jl]P2 23', expected: rows('     P2 23', '', '') },
  { multi: '[jl2]P2[jl4]23', expected: rows('P2            23', '', '') },
  { multi: 'P2[jl4]23', expected: rows('       P2     23', '', '') },
  { multi: '[jl2]P2[jl3]FREE[jl4]23', expected: rows('P2    FREE    23', '', '') },
  { multi: '[jl4]23[jl2]P2', expected: ['tagConflict', 8], ntcipDiffers: SIGN_LIMIT, javaDiffers: JAVA_LAX },
  { multi: '[jl1]P2', expected: ['unsupportedTagValue', 1], ntcipDiffers: RENDER_REFUSES, javaDiffers: JAVA_LAX },
  { multi: '[jl5]P2', expected: ['unsupportedTagValue', 1], ntcipDiffers: RENDER_REFUSES, javaDiffers: JAVA_LAX },
  { multi: '[jl6]P2', expected: ['unsupportedTagValue', 1], javaDiffers: JAVA_LAX },
  { multi: '[jlx]P2', expected: ['unsupportedTagValue', 1], javaDiffers: JAVA_LAX },
  { multi: '[JL2]P2', expected: rows('P2', '', '') },
  { multi: '[jl2]P1 < 23[nl][jl4]P2 FULL', expected: rows('P1 < 23', '         P2 FULL', '') },
  // Page justification.
  { multi: '[jp2]TOP', expected: rows('      TOP', '', '') },
  { multi: '[jp3]MID', expected: rows('', '      MID', '') },
  { multi: '[jp4]BOTTOM', expected: rows('', '', '     BOTTOM') },
  { multi: '[jp]X', expected: rows('       X', '', '') },
  { multi: '[jp4]A[jp2]B', expected: ['tagConflict', 7], ntcipDiffers: SIGN_LIMIT, javaDiffers: JAVA_LAX },
  { multi: '[jp2]A[jp4]B', expected: rows('       A', '', '       B') },
  { multi: '[jp1]A', expected: ['unsupportedTagValue', 1], ntcipDiffers: RENDER_REFUSES, javaDiffers: JAVA_LAX },
  { multi: '[jp5]A', expected: ['unsupportedTagValue', 1], javaDiffers: JAVA_LAX },
  // New line, with and without spacing.
  { multi: 'A[nl]B[nl]C', expected: rows('       A', '       B', '       C') },
  { multi: 'A[nl]B[nl]C[nl]D', expected: ['textTooBig', 16], ntcipDiffers: SIGN_LIMIT, javaDiffers: SIGN_LIMIT },
  { multi: 'A[nl0]B', expected: 'ok' },
  { multi: 'A[nl9]B', expected: 'ok' },
  {
    multi: 'A[nl12]B',
    expected: 'ok',
    ntcipDiffers: 'the ntcip crate reads one digit; the spacing is a pixel count (fontLineSpacing is 0–255)',
  },
  { multi: 'A[nl255]B', expected: 'ok', ntcipDiffers: 'the ntcip crate reads one digit (see [nl12])' },
  { multi: 'A[nl256]B', expected: ['unsupportedTagValue', 2], javaDiffers: JAVA_LAX },
  { multi: 'A[nlx]B', expected: ['unsupportedTagValue', 2], javaDiffers: JAVA_LAX },
  // New page.
  { multi: 'A[np]B', expected: 'ok' },
  { multi: 'A[np]B[np]C[np]D[np]E[np]F', expected: 'ok' },
  {
    multi: 'A[np]B[np]C[np]D[np]E[np]F[np]G',
    expected: ['tooManyPages', 27],
    ntcipDiffers: SIGN_LIMIT,
    javaDiffers: SIGN_LIMIT,
  },
  { multi: 'A[np2]', expected: ['unsupportedTagValue', 2], javaDiffers: JAVA_LAX },
  // Page times.
  { multi: '[pt30o5]A', expected: 'ok' },
  { multi: '[pt30]A', expected: 'ok' },
  { multi: '[pto5]A', expected: 'ok' },
  { multi: '[pt]A', expected: 'ok' },
  { multi: '[pt300]A', expected: ['unsupportedTagValue', 1], javaDiffers: JAVA_LAX },
  { multi: '[ptx]A', expected: ['unsupportedTagValue', 1], javaDiffers: JAVA_LAX },
  // Fonts.
  { multi: '[fo2]A', expected: 'ok' },
  { multi: '[fo]A', expected: 'ok' },
  { multi: '[fo3]A', expected: ['fontNotDefined', 1], ntcipDiffers: SIGN_LIMIT, javaDiffers: SIGN_LIMIT },
  { multi: '[fo0]A', expected: ['unsupportedTagValue', 1], javaDiffers: JAVA_LAX },
  { multi: '[fo1,1a2b]A', expected: 'ok' },
  { multi: '[fo1,12]A', expected: ['unsupportedTagValue', 1], javaDiffers: JAVA_LAX },
  // Colours.
  { multi: '[cf3]A', expected: 'ok' },
  { multi: '[cf]A', expected: 'ok' },
  { multi: '[cf255,0,0]A', expected: 'ok' },
  { multi: '[cf256,0,0]A', expected: ['unsupportedTagValue', 1], javaDiffers: JAVA_LAX },
  {
    multi: '[cf12]A',
    expected: ['unsupportedTagValue', 1],
    ntcipDiffers: 'classic colours are 0–9; the ntcip crate refuses 12 when rendering, not when parsing',
    javaDiffers: JAVA_LAX,
  },
  // Flashing text: the standard's forms only.
  { multi: '[fl]A[/fl]', expected: 'ok', javaDiffers: NO_FLASH_IN_JAVA },
  { multi: '[flt5o5]A[/fl]', expected: 'ok', javaDiffers: NO_FLASH_IN_JAVA },
  { multi: '[flo5t5]A[/fl]', expected: 'ok', javaDiffers: NO_FLASH_IN_JAVA },
  { multi: '[flt5]A[/fl]', expected: 'ok', javaDiffers: NO_FLASH_IN_JAVA },
  { multi: '[flto]A', expected: 'ok', javaDiffers: NO_FLASH_IN_JAVA },
  { multi: '[fl5o5]A[/fl]', expected: ['unsupportedTagValue', 1] },
  { multi: '[flt100o5]A', expected: ['unsupportedTagValue', 1] },
  {
    multi: '[fl]A[fl]B',
    expected: ['tagConflict', 6],
    ntcipDiffers: 'the ntcip crate does not check [fl] nesting when parsing',
  },
  { multi: '[flt5o5]A[/fl] [flo3t7]B[/fl]', expected: 'ok', javaDiffers: NO_FLASH_IN_JAVA },
  // Hexadecimal characters: the font's arrow glyphs.
  {
    multi: 'P2 [hc80] 23',
    expected: rows('    P2 \u0080 23', '', ''),
    javaDiffers: 'IRIS`s Java MultiString does not know [hc]',
  },
  { multi: '[hc41]', expected: rows('       A', '', ''), javaDiffers: 'IRIS`s Java MultiString does not know [hc]' },
  { multi: '[hc7f]', expected: ['characterNotDefined', 1], ntcipDiffers: SIGN_LIMIT },
  { multi: '[hcz]', expected: ['unsupportedTagValue', 1] },
  // Brackets.
  { multi: '[[P2]]', expected: rows('      [P2]', '', '') },
  {
    multi: 'P2 [cf3',
    expected: ['other', 4],
    ntcipDiffers: 'the ntcip crate reads an unclosed "[" as an unsupported tag',
  },
  { multi: 'A]B', expected: ['other', 2], ntcipDiffers: 'the ntcip crate reads a lone "]" as an unsupported tag' },
  // Tags of the standard a character sign without graphics does not support.
  {
    multi: '[cr1,1,10,10,255,0,0]A',
    expected: ['unsupportedTag', 1],
    ntcipDiffers: NOT_ON_CHARACTER_SIGN,
    javaDiffers: NOT_ON_CHARACTER_SIGN,
  },
  {
    multi: '[g1]A',
    expected: ['unsupportedTag', 1],
    ntcipDiffers: NOT_ON_CHARACTER_SIGN,
    javaDiffers: NOT_ON_CHARACTER_SIGN,
  },
  {
    multi: '[sc2]A[/sc]',
    expected: ['unsupportedTag', 1],
    ntcipDiffers: NOT_ON_CHARACTER_SIGN,
    javaDiffers: NOT_ON_CHARACTER_SIGN,
  },
  {
    multi: '[tr1,1,0,0]A',
    expected: ['unsupportedTag', 1],
    ntcipDiffers: NOT_ON_CHARACTER_SIGN,
    javaDiffers: NOT_ON_CHARACTER_SIGN,
  },
  {
    multi: '[pb0,0,0]A',
    expected: ['unsupportedTag', 1],
    ntcipDiffers: NOT_ON_CHARACTER_SIGN,
    javaDiffers: NOT_ON_CHARACTER_SIGN,
  },
  { multi: '[xx1]', expected: ['unsupportedTag', 1] },
  { multi: '[feedx]', expected: ['unsupportedTag', 1], javaDiffers: 'an IRIS action tag, not NTCIP' },
  { multi: '[mvcl100,1,5,AB]', expected: ['unsupportedTag', 1], ntcipDiffers: NOT_ON_CHARACTER_SIGN },
  // Text.
  { multi: 'ABCDEFGHIJKLMNOPQ', expected: ['textTooBig', 17], ntcipDiffers: SIGN_LIMIT, javaDiffers: SIGN_LIMIT },
  { multi: 'P1 é', expected: ['characterNotDefined', 4], ntcipDiffers: SIGN_LIMIT },
  {
    multi: '[jl2]ABCDEFGH[jl4]IJKLMNOPQ',
    expected: ['textTooBig', 27],
    ntcipDiffers: SIGN_LIMIT,
    javaDiffers: SIGN_LIMIT,
  },
  {
    multi: '[jl2]ABCDEFG[jl3]XYZ[jl4]12',
    expected: ['textTooBig', 27],
    ntcipDiffers: SIGN_LIMIT,
    javaDiffers: SIGN_LIMIT,
  },
  { multi: '', expected: rows('', '', '') },
  {
    multi: '[jl2][cf1]P1 FULL[nl][jl2][cf3]P2[jl4]23[nl][jl2][cf3]P3[jl4]112',
    expected: rows('P1 FULL', 'P2            23', 'P3           112'),
  },
];
