import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMulti } from '../../src/core/multi-parser.js';
import { layoutPage } from '../../src/core/multi-render.js';
import { multiParseConfig } from '../../src/signs/multi-text-sign.js';
import { MULTI_CASES, TABLE_SIGN } from './multi-table.js';

interface IrisResult {
  multi: string;
  java: 'valid' | 'invalid';
  ntcip: string;
}

const recorded = JSON.parse(
  readFileSync(new URL('../peers/iris/multi-iris-results.json', import.meta.url), 'utf8'),
) as { results: IrisResult[] };
const irisByMulti = new Map(recorded.results.map((r) => [r.multi, r]));
const config = multiParseConfig(TABLE_SIGN);
const NTCIP_ERROR: Record<string, string> = {
  UnsupportedTag: 'unsupportedTag',
  UnsupportedTagValue: 'unsupportedTagValue',
  Other: 'other',
};

describe('MULTI table (NTCIP 1203 tags), against IRIS', () => {
  it('has at least 61 strings, each with a recorded IRIS answer', () => {
    expect(MULTI_CASES.length).toBeGreaterThanOrEqual(61);
    expect(new Set(MULTI_CASES.map((c) => c.multi)).size).toBe(MULTI_CASES.length);
    for (const c of MULTI_CASES) expect(irisByMulti.has(c.multi), c.multi).toBe(true);
  });

  it.each(MULTI_CASES.map((c) => [c.multi, c] as const))('%j', (_multi, c) => {
    const result = parseMulti(c.multi, config);
    if (Array.isArray(c.expected)) {
      expect(result).toMatchObject({ ok: false, error: c.expected[0], position: c.expected[1] });
    } else {
      expect(result.ok, JSON.stringify(result)).toBe(true);
      if (result.ok && typeof c.expected === 'object')
        expect(layoutPage(result.pages[0]!, config)).toEqual(c.expected.rows);
    }
    const isOk = result.ok;
    const iris = irisByMulti.get(c.multi)!;
    // Where the table says IRIS answers otherwise, it must really do so; everywhere else, it must agree.
    expect(iris.java === 'valid' ? isOk : !isOk, `Java MultiString says ${iris.java}`).toBe(
      c.javaDiffers === undefined,
    );
    const ntcipError = iris.ntcip === 'ok' ? undefined : NTCIP_ERROR[iris.ntcip];
    const ours = result.ok ? undefined : result.error;
    expect(ntcipError === ours, `ntcip says ${iris.ntcip}`).toBe(c.ntcipDiffers === undefined);
  });
});
