import { describe, expect, it } from 'vitest';
import { parseMulti } from '../../src/core/multi-parser.js';
import { layoutPage, messageFromPage, renderMulti } from '../../src/core/multi-render.js';
import type { SignMessage } from '../../src/signs/guidance-sign.js';

const sign = { lines: 3, charsPerLine: 12, fonts: [1, 2] };

describe('parseMulti', () => {
  it('parses lines, pages, justification, fonts, colours, page times and flashing', () => {
    const result = parseMulti('[pt30o5][jl2][cf3]P1 < 23[nl][jl4][fo2]P2 FULL[np][fl]CLOSED[/fl] [[x]]', sign);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.pages).toHaveLength(2);
    expect(result.pages[0]).toMatchObject({ pageOnDs: 30, pageOffDs: 5 });
    expect(result.pages[0]!.lines).toMatchObject([
      { text: 'P1 < 23', justification: 'left', font: 1, colour: '3', isFlashing: false },
      { text: 'P2 FULL', justification: 'right', font: 2, colour: '3', isFlashing: false },
    ]);
    expect(result.pages[1]!.lines[0]).toMatchObject({ text: 'CLOSED [x]', isFlashing: true });
    expect(result.pages[1]!.lines[0]!.segments).toMatchObject([
      { text: 'CLOSED', isFlashing: true, flash: { order: 'on-off' } },
      { text: ' [x]', isFlashing: false },
    ]);
  });

  it.each([
    ['[xx1]', 'unsupportedTag', 1],
    ['AB[jl7]', 'unsupportedTagValue', 3],
    ['[fo3]P1', 'fontNotDefined', 1],
    ['ABCDEFGHIJKLM', 'textTooBig', 13],
    ['A[nl]B[nl]C[nl]D', 'textTooBig', 16],
    ['A[np]B[np]C[np]D[np]E[np]F[np]G', 'tooManyPages', 27],
    ['P1 é', 'characterNotDefined', 4],
    ['P1 [cf3', 'other', 4],
    ['A]B', 'other', 2],
    ['[fl]A[fl]', 'tagConflict', 6],
    ['[jl4]A[jl2]B', 'tagConflict', 7],
  ])('refuses %j with %s at %i', (multi, error, position) => {
    expect(parseMulti(multi, sign)).toMatchObject({ ok: false, error, position });
  });
});

describe('parseMulti: justification inside a line', () => {
  it('keeps label-left and count-right segments of one line (P2[jl4]23)', () => {
    const result = parseMulti('[jl2][cf3]P2 <[jl4]23', sign);
    expect(result.ok && result.pages[0]!.lines[0]!.segments).toEqual([
      { text: 'P2 <', justification: 'left', font: 1, colour: '3', isFlashing: false },
      { text: '23', justification: 'right', font: 1, colour: '3', isFlashing: false },
    ]);
    expect(result.ok && layoutPage(result.pages[0]!, sign)).toEqual(['P2 <      23', ' '.repeat(12), ' '.repeat(12)]);
  });
});

describe('renderMulti', () => {
  it('renders a guidance message that parses back to the same message', () => {
    const message: SignMessage = {
      lines: [
        { label: 'P1', arrow: 'left', value: 23, colour: 'green' },
        { label: 'P2', arrow: 'right', value: 'FULL', colour: 'red' },
        { label: 'P3', arrow: 'none', value: { text: 'STAFF' }, colour: 'amber' },
      ],
    };
    const multi = renderMulti(message);
    expect(multi).toBe('[jl2][cf3]P1 < 23[nl][jl2][cf1]P2 > FULL[nl][jl2][cf9]P3 STAFF');
    const parsed = parseMulti(multi, sign);
    expect(parsed.ok && messageFromPage(parsed.pages[0]!)).toEqual(message);
  });
});

describe('renderMulti with the arrow glyphs of the sign font and the split layout', () => {
  const glyphSign = { ...sign, charsPerLine: 16, glyphs: [0x80, 0x81] };
  const options = { arrowGlyphs: { left: 0x80, right: 0x81 }, lineLayout: 'split' as const };

  it('draws declared arrows with [hcX], others in ASCII, and reads them back', () => {
    const message: SignMessage = {
      lines: [
        { label: 'P1', arrow: 'left', value: 23, colour: 'green' },
        { label: 'P2', arrow: 'ahead', value: 'FULL', colour: 'red' },
        { label: 'P3', arrow: 'right', value: 112, colour: 'green' },
      ],
    };
    const multi = renderMulti(message, options);
    expect(multi).toBe('[jl2][cf3]P1 [hc80][jl4]23[nl][jl2][cf1]P2 ^[jl4]FULL[nl][jl2][cf3]P3 [hc81][jl4]112');
    const parsed = parseMulti(multi, glyphSign);
    expect(parsed.ok && layoutPage(parsed.pages[0]!, glyphSign)).toEqual([
      'P1 \u0080          23',
      'P2 ^        FULL',
      'P3 \u0081         112',
    ]);
    expect(parsed.ok && messageFromPage(parsed.pages[0]!, options)).toEqual(message);
  });

  it('refuses a glyph the font does not have', () => {
    expect(parseMulti('P1 [hc90] 3', glyphSign)).toMatchObject({
      ok: false,
      error: 'characterNotDefined',
      position: 4,
    });
  });
});
