/**
 * One NTCIP 1203 MULTI tag (the text between `[` and `]`) → what it asks for, or the
 * `dmsMultiSyntaxError` a sign reports for it. Pure; `multi-parser.ts` applies the tags in order.
 *
 * Forms accepted (case-insensitive), as NTCIP 1203 v03 writes them and IRIS reads them:
 * `[nl]` `[nlS]` (S line spacing in pixels 0–255, the range of `fontLineSpacing`), `[np]`,
 * `[jl]` `[jl2]`–`[jl4]` (no number: the sign's default), `[jp]` `[jp2]`–`[jp4]`, `[fo]` `[foN]`
 * `[foN,cccc]`, `[cf]` `[cfN]` `[cfR,G,B]`, `[ptN]` `[ptNoM]` `[ptoM]`, `[fl]` `[fltXoY]` `[floYtX]`
 * (X on, Y off, tenths of a second 0–99, each optional), `[/fl]`, `[hcX]` (hexadecimal character).
 */

export type Justification = 'left' | 'center' | 'right';
export type PageJustification = 'top' | 'middle' | 'bottom';

/** Flash of a `[fl…]` region: which phase comes first and the phase times, in tenths of a second. */
export interface MultiFlash {
  order: 'on-off' | 'off-on';
  onDs?: number;
  offDs?: number;
}

export type MultiTag =
  | { kind: 'new-line'; spacingPx?: number }
  | { kind: 'new-page' }
  | { kind: 'justify-line'; value: Justification | undefined }
  | { kind: 'justify-page'; value: PageJustification | undefined }
  | { kind: 'font'; number: number | undefined }
  | { kind: 'colour'; value: string | undefined }
  | { kind: 'page-time'; onDs?: number; offDs?: number }
  | { kind: 'flash'; flash: MultiFlash }
  | { kind: 'flash-end' }
  | { kind: 'character'; code: number };

export type TagResult = { ok: true; tag: MultiTag } | { ok: false; error: 'unsupportedTag' | 'unsupportedTagValue' };

const LINE: Record<string, Justification> = { '2': 'left', '3': 'center', '4': 'right' };
const PAGE: Record<string, PageJustification> = { '2': 'top', '3': 'middle', '4': 'bottom' };

const ok = (tag: MultiTag): TagResult => ({ ok: true, tag });
const badValue: TagResult = { ok: false, error: 'unsupportedTagValue' };
const optional = (digits: string | undefined): number | undefined =>
  digits === undefined || digits === '' ? undefined : Number(digits);

function flash(tag: string): TagResult {
  if (tag === 'fl') return ok({ kind: 'flash', flash: { order: 'on-off' } });
  const on = /^flt([0-9]{1,2})?(?:o([0-9]{1,2})?)?$/.exec(tag);
  if (on) return ok({ kind: 'flash', flash: { order: 'on-off', ...times(on[1], on[2]) } });
  const off = /^flo([0-9]{1,2})?(?:t([0-9]{1,2})?)?$/.exec(tag);
  if (off) return ok({ kind: 'flash', flash: { order: 'off-on', ...times(off[2], off[1]) } });
  return badValue;
}

function times(on: string | undefined, off: string | undefined): { onDs?: number; offDs?: number } {
  const out: { onDs?: number; offDs?: number } = {};
  if (optional(on) !== undefined) out.onDs = optional(on)!;
  if (optional(off) !== undefined) out.offDs = optional(off)!;
  return out;
}

function colour(tag: string): TagResult {
  if (tag === 'cf') return ok({ kind: 'colour', value: undefined });
  const classic = /^cf([0-9]{1,3})$/.exec(tag);
  // Classic colours 0 (black) to 9 (amber); the sign knows no others.
  if (classic) return Number(classic[1]) <= 9 ? ok({ kind: 'colour', value: String(Number(classic[1])) }) : badValue;
  const rgb = /^cf([0-9]{1,3}),([0-9]{1,3}),([0-9]{1,3})$/.exec(tag);
  if (rgb && [rgb[1], rgb[2], rgb[3]].every((v) => Number(v) <= 255)) {
    return ok({ kind: 'colour', value: `${Number(rgb[1])},${Number(rgb[2])},${Number(rgb[3])}` });
  }
  return badValue;
}

/** Parses one tag's text (without the brackets). */
export function parseTag(raw: string): TagResult {
  const tag = raw.toLowerCase();
  if (tag.startsWith('nl')) {
    if (tag === 'nl') return ok({ kind: 'new-line' });
    const m = /^nl([0-9]{1,3})$/.exec(tag);
    return m && Number(m[1]) <= 255 ? ok({ kind: 'new-line', spacingPx: Number(m[1]) }) : badValue;
  }
  if (tag.startsWith('np')) return tag === 'np' ? ok({ kind: 'new-page' }) : badValue;
  if (tag.startsWith('jl')) {
    if (tag === 'jl') return ok({ kind: 'justify-line', value: undefined });
    const value = LINE[tag.slice(2)];
    // 1 (other) and 5 (full) are in the standard, but a character sign lays out neither.
    return value === undefined ? badValue : ok({ kind: 'justify-line', value });
  }
  if (tag.startsWith('jp')) {
    if (tag === 'jp') return ok({ kind: 'justify-page', value: undefined });
    const value = PAGE[tag.slice(2)];
    return value === undefined ? badValue : ok({ kind: 'justify-page', value });
  }
  if (tag.startsWith('fo')) {
    if (tag === 'fo') return ok({ kind: 'font', number: undefined });
    const m = /^fo([0-9]{1,3})(?:,[0-9a-f]{4})?$/.exec(tag);
    const number = m ? Number(m[1]) : 0;
    return number >= 1 && number <= 255 ? ok({ kind: 'font', number }) : badValue;
  }
  if (tag.startsWith('cf')) return colour(tag);
  if (tag.startsWith('pt')) {
    const m = /^pt([0-9]{1,3})?(?:o([0-9]{1,3})?)?$/.exec(tag);
    if (!m || [m[1], m[2]].some((v) => (optional(v) ?? 0) > 255)) return badValue;
    const out: MultiTag = { kind: 'page-time' };
    if (optional(m[1]) !== undefined) out.onDs = optional(m[1])!;
    if (optional(m[2]) !== undefined) out.offDs = optional(m[2])!;
    return ok(out);
  }
  if (tag.startsWith('fl')) return flash(tag);
  if (tag.startsWith('/fl')) return tag === '/fl' ? ok({ kind: 'flash-end' }) : badValue;
  if (tag.startsWith('hc')) {
    const m = /^hc([0-9a-f]{1,4})$/.exec(tag);
    return m ? ok({ kind: 'character', code: Number.parseInt(m[1]!, 16) }) : badValue;
  }
  // Graphics, rectangles, fields, moving text, character spacing…: NTCIP tags this sign does not support.
  return { ok: false, error: 'unsupportedTag' };
}
