import { describe, expect, it } from 'vitest';
import { parseMulti } from '../../src/core/multi-parser.js';
import { messageFromPage, renderMulti } from '../../src/core/multi-render.js';
import type { SignMessage } from '../../src/signs/guidance-sign.js';

const sign = { lines: 3, charsPerLine: 12, fonts: [1, 2] };

describe('parseMulti', () => {
  it('parses lines, pages, justification, fonts, colours, page times and flashing', () => {
    const result = parseMulti('[pt30o5][jl2][cf3]P1 < 23[nl][jl4][fo2]P2 FULL[np][fl]CLOSED[/fl] [[x]]', sign);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.pages).toHaveLength(2);
    expect(result.pages[0]).toMatchObject({ pageOnDs: 30, pageOffDs: 5 });
    expect(result.pages[0]!.lines).toEqual([
      { text: 'P1 < 23', justification: 'left', font: 1, colour: '3', isFlashing: false },
      { text: 'P2 FULL', justification: 'right', font: 2, colour: '3', isFlashing: false },
    ]);
    expect(result.pages[1]!.lines[0]).toMatchObject({ text: 'CLOSED [x]', isFlashing: true });
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
    ['A[jl2]', 'tagConflict', 2],
  ])('refuses %j with %s at %i', (multi, error, position) => {
    expect(parseMulti(multi, sign)).toMatchObject({ ok: false, error, position });
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
