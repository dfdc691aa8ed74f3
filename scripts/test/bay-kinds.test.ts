import { readFileSync } from 'node:fs';
import { SiteDefinitionSchema } from '@citybay/central';
import { BAY_KINDS } from '@citybay/common';
import { siteJsonSchemaText } from '@citybay/edge';
import { BAY_KIND_BY_NAME, BayKind } from '@citybay/proto';
import {
  ALLOCATABLE_KINDS,
  ALLOCATION_DAY_SCHEMA,
  ALLOCATION_OPTIONS_SCHEMA,
  BAY_KINDS as SIM_BAY_KINDS,
  LotsFileSchema,
} from '@citybay/sim';
import { describe, expect, it } from 'vitest';
import { TwinLayoutSchema } from '../src/district/twin-layout.js';

// The bay kinds are defined once, in common (`BAY_KINDS`). The TypeScript schemas build their enums from it; what
// cannot import it — the wire's enum in sync.proto, the generated JSON Schema, the dashboard's script — is held to it
// here, and so is every schema that lists kinds, so a sixth kind added in one place fails here until it is
// everywhere.

/**
 * Every list of bay kinds in a JSON Schema: `enum`s and `anyOf` of `const`s that name a kind, and the keys of
 * `properties` that name one (counts or weights by kind), each sorted as written.
 */
function kindListsIn(schema: unknown): string[][] {
  const lists: string[][] = [];
  const isKind = (value: unknown) => typeof value === 'string' && (BAY_KINDS as readonly string[]).includes(value);
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    const consts = Array.isArray(record.anyOf) ? record.anyOf.map((s) => (s as { const?: unknown }).const) : [];
    for (const values of [record.enum, consts]) {
      if (Array.isArray(values) && values.some(isKind)) lists.push(values as string[]);
    }
    const keys = typeof record.properties === 'object' && record.properties ? Object.keys(record.properties) : [];
    if (keys.some(isKind)) lists.push(keys.filter((key) => key !== 'none'));
    Object.values(record).forEach(visit);
  };
  visit(schema);
  return lists;
}

describe('the bay kinds, defined once in common', () => {
  it('are the wire enum’s values, in its order', () => {
    const wire = Object.entries(BayKind)
      .filter(([name, value]) => typeof value === 'number' && name !== 'BAY_KIND_UNSPECIFIED')
      .sort(([, a], [, b]) => (a as number) - (b as number))
      .map(([name]) => name.replace(/^BAY_KIND_/, '').toLowerCase());
    expect(wire).toEqual(BAY_KINDS);
    expect(Object.keys(BAY_KIND_BY_NAME)).toEqual(BAY_KINDS);
    const proto = readFileSync(new URL('../../proto/citybay/v1/sync.proto', import.meta.url), 'utf8');
    const enumBody = /enum BayKind \{([^}]*)\}/.exec(proto)?.[1] ?? '';
    const names = [...enumBody.matchAll(/BAY_KIND_([A-Z]+)\s*=\s*[1-9]/g)].map((m) => m[1]!.toLowerCase());
    expect(names).toEqual(BAY_KINDS);
  });

  it('are the sim’s, which allocates a subset of them', () => {
    expect(SIM_BAY_KINDS).toBe(BAY_KINDS);
    expect(ALLOCATABLE_KINDS.every((kind) => (BAY_KINDS as readonly string[]).includes(kind))).toBe(true);
  });

  it.each([
    ['the edge site file (generated JSON Schema)', JSON.parse(siteJsonSchemaText()) as unknown],
    [
      'the edge site file (site.schema.json)',
      JSON.parse(readFileSync(new URL('../../edge/site.schema.json', import.meta.url), 'utf8')) as unknown,
    ],
    ['the sim lots file', LotsFileSchema],
    ['the allocation day', ALLOCATION_DAY_SCHEMA],
    ['the allocation options', ALLOCATION_OPTIONS_SCHEMA],
    ['central’s site definition', SiteDefinitionSchema],
    ['the twin layout', TwinLayoutSchema],
  ])('are every kind list of %s: all of them, or the allocatable ones', (_, schema) => {
    const lists = kindListsIn(schema);
    expect(lists.length).toBeGreaterThan(0);
    for (const list of lists) expect([[...BAY_KINDS], [...ALLOCATABLE_KINDS]]).toContainEqual(list);
  });

  it('are the kinds the driver page names: the allocatable ones', () => {
    const script = readFileSync(new URL('../../central/driver-page/driver.js', import.meta.url), 'utf8');
    const labels = /const KIND = \{([^}]*)\};/.exec(script)?.[1] ?? '';
    expect([...labels.matchAll(/(\w+):/g)].map((m) => m[1])).toEqual(ALLOCATABLE_KINDS);
  });

  it('are the dashboard’s', () => {
    const script = readFileSync(new URL('../../central/dashboard/dashboard.js', import.meta.url), 'utf8');
    const kinds = /const KINDS = (\[[^\]]*\]);/.exec(script)?.[1];
    expect(JSON.parse((kinds ?? '[]').replaceAll("'", '"'))).toEqual(BAY_KINDS);
  });
});
