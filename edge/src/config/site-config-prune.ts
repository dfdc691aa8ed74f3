/**
 * A site file that failed the schema is never built from as it is (a bay run of 100,000,000 bays
 * would exhaust memory). So that one `check` still lists broken references too, the loader builds
 * from a copy in which every list entry with a schema error (a bay run, a device, a sign line…) is
 * replaced by an inert placeholder that passes the schema, and broken optional sections are left
 * out; the copy must then pass the whole schema, or no reference is checked at all. Issues found
 * at or under a replaced entry are the placeholder's and are dropped by the caller.
 */
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { ConfigIssue } from './schema-issues.js';
import { type SiteFile, SiteFileSchema } from './site-config-schema.js';

type Json = Record<string, unknown>;
type Part = string | number;

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const idOr = (value: unknown, fallback: string): string =>
  typeof value === 'string' && ID.test(value) ? value : fallback;
/** The part of the site file schema at `path` (keys and `[]` for list items, dot-separated). */
function schemaAt(path: string): TSchema | undefined {
  let schema: TSchema | undefined = SiteFileSchema;
  for (const key of path.split('.')) {
    const s = schema as { items?: TSchema; properties?: Record<string, TSchema> } | undefined;
    schema = key === '[]' ? s?.items : s?.properties?.[key];
  }
  return schema;
}

/** `value` when it passes the schema at `path`, else `fallback`. */
function validOr(path: string, value: unknown, fallback: unknown): unknown {
  const schema = schemaAt(path);
  return schema !== undefined && Value.Check(schema, value) ? value : fallback;
}

/** Inert stand-ins for a broken list entry, by the entry's place in the file; `n` makes ids unique. */
const PLACEHOLDERS: Record<string, (entry: Json, n: number) => unknown> = {
  'lots[]': (e, n) => ({
    id: idOr(e.id, `lot.invalid.${n}`),
    zones: validOr('lots.[].zones', e.zones, []),
    ...(validOr('lots.[].gateCounting', e.gateCounting, undefined) === undefined
      ? {}
      : { gateCounting: e.gateCounting }),
  }),
  'lots[].zones[]': (e, n) => ({
    id: idOr(e.id, `zone.invalid.${n}`),
    bays: validOr('lots.[].zones.[].bays', e.bays, [{ id: `bay.invalid.${n}` }]),
  }),
  // Keeps a valid id, so that a duplicate bay id is still found; it has no sensor, so nothing else is.
  'lots[].zones[].bays[]': (e, n) => ({ id: idOr(e.id, `bay.invalid.${n}`) }),
  'lots[].gateCounting.gates[]': (e, n) => ({
    id: idOr(e.id, `gate.invalid.${n}`),
    entries: { gpio: 'gpio.invalid' },
    exits: { gpio: 'gpio.invalid' },
  }),
  'buses[]': (e, n) => ({
    id: idOr(e.id, `bus.invalid.${n}`),
    transport: 'tcp',
    host: 'invalid',
    port: 1,
    devices: validOr('buses.[].devices', e.devices, []),
  }),
  'buses[].devices[]': (e, n) => ({
    id: idOr(e.id, `device.invalid.${n}`),
    profile: typeof e.profile === 'string' && e.profile !== '' ? e.profile : 'invalid',
    unitId: Number.isInteger(e.unitId) && (e.unitId as number) >= 0 && (e.unitId as number) <= 255 ? e.unitId : 0,
  }),
  'signs[]': (e, n) => ({
    id: idOr(e.id, `sign.invalid.${n}`),
    location: '',
    driver: { type: 'virtual' },
    lines: validOr('signs.[].lines', e.lines, [{ lot: 'lot.invalid', arrow: 'none' }]),
  }),
  'signs[].lines[]': () => ({ lot: 'lot.invalid', arrow: 'none' }),
  'signs[].lines[].kinds[]': () => 'standard',
  'gpio.inputs[]': (e, n) => ({ id: idOr(e.id, `input.invalid.${n}`), line: 0 }),
  'gpio.outputs[]': (e, n) => ({ id: idOr(e.id, `output.invalid.${n}`), line: 0, role: 'status-led' }),
  'profiles[]': (_e, n) => `invalid-profile-${n}.yaml`,
};

/** Stand-ins for broken top-level sections; a section not listed here is left out (it is optional). */
const SECTIONS: Record<string, (value: unknown) => unknown> = {
  site: (v) => ({ id: idOr(isObject(v) ? v.id : undefined, 'site.invalid') }),
  edge: (v) => ({ id: idOr(isObject(v) ? v.id : undefined, 'edge.invalid') }),
  configVersion: () => 'invalid',
  central: (v) => {
    const c = isObject(v) ? v : {};
    const text = (x: unknown) => (typeof x === 'string' && x !== '' && x.length < 4096 ? x : undefined);
    return Object.fromEntries(
      Object.entries({
        url: 'http://invalid',
        secretFile: text(c.secretFile),
        secret: typeof c.secret === 'string' ? c.secret : undefined,
        caFile: text(c.caFile),
      }).filter(([, x]) => x !== undefined),
    );
  },
  outbox: () => ({ path: 'outbox.db' }),
  lots: () => undefined,
};

function parse(path: string): Part[] {
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] === undefined ? m[1]! : Number(m[2])));
}

const render = (parts: readonly Part[]): string =>
  parts.reduce<string>((out, p) => (typeof p === 'number' ? `${out}[${p}]` : out === '' ? p : `${out}.${p}`), '');

/** Placeholders whose own issues (at their path, not under it) are real: a bay's is a duplicate id. */
const TRUSTED_AT_PATH = new Set(['lots[].zones[].bays[]']);

export interface PrunedSite {
  /** The copy to check references on; it passed the schema. */
  file: SiteFile;
  /** Paths whose issues belong to a placeholder, not to the file: the replaced entries and under them. */
  isPlaceholderIssue(path: string): boolean;
}

const isUnder = (path: string, prefix: string): boolean =>
  path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);

/** The site file with its broken entries replaced, or undefined when it is too broken to follow. */
export function pruneForReferences(data: unknown, issues: readonly ConfigIssue[]): PrunedSite | undefined {
  if (!isObject(data)) return undefined;
  const copy = structuredClone(data);
  const entries = new Map<string, Part[]>();
  const sections = new Set<string>();
  for (const issue of issues) {
    const parts = parse(issue.path);
    const last = parts.findLastIndex((p) => typeof p === 'number');
    if (last < 0) sections.add(String(parts[0] ?? ''));
    else entries.set(render(parts.slice(0, last + 1)), parts.slice(0, last + 1));
  }
  // Deepest first, so a replaced lot keeps the placeholders of its broken zones.
  const ordered = [...entries.values()].sort((a, b) => b.length - a.length);
  const replaced: { path: string; isTrusted: boolean }[] = [];
  let n = 0;
  for (const parts of ordered) {
    const pattern = render(parts.map((p) => (typeof p === 'number' ? '[]' : p))).replace(/\.\[\]/g, '[]');
    const make = PLACEHOLDERS[pattern];
    if (!make) return undefined;
    replaced.push({ path: render(parts), isTrusted: TRUSTED_AT_PATH.has(pattern) });
    let parent: unknown = copy;
    for (const p of parts.slice(0, -1)) parent = (parent as Record<Part, unknown>)?.[p];
    if (!Array.isArray(parent)) return undefined;
    const index = parts.at(-1) as number;
    const entry = parent[index];
    parent[index] = make(isObject(entry) ? entry : {}, n++);
  }
  for (const section of sections) {
    if (section === '' || section === 'lots') return undefined;
    const make = SECTIONS[section];
    if (make) copy[section] = make(copy[section]);
    else delete copy[section];
  }
  if (!Value.Check(SiteFileSchema, copy)) return undefined;
  return {
    file: copy as SiteFile,
    isPlaceholderIssue: (path) => replaced.some((r) => isUnder(path, r.path) || (path === r.path && !r.isTrusted)),
  };
}
