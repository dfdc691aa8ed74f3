import { BAY_KINDS, type BayKindName } from '@citybay/common';
import { type Static, type TInteger, type TOptional, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parse as parseYaml } from 'yaml';
import { checkAllocationOptions } from '@citybay/sim';
import { errors } from '../errors.js';

const Id = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$' });
export const Position = Type.Tuple([
  Type.Number({ minimum: -180, maximum: 180 }),
  Type.Number({ minimum: -90, maximum: 90 }),
]);
/** GeoJSON geometry of a lot: a point (its entrance) or a polygon (its outline), `[lon, lat]` in WGS 84. */
export const LotGeometry = Type.Union([
  Type.Object({ type: Type.Literal('Point'), coordinates: Position }, { additionalProperties: false }),
  Type.Object(
    { type: Type.Literal('Polygon'), coordinates: Type.Array(Type.Array(Position, { minItems: 4 }), { minItems: 1 }) },
    { additionalProperties: false },
  ),
]);
/** Bays per kind, every kind optional (common's `BAY_KINDS`). */
export const Capacity = Type.Object(
  Object.fromEntries(BAY_KINDS.map((kind) => [kind, Type.Optional(Type.Integer({ minimum: 0 }))])) as Record<
    BayKindName,
    TOptional<TInteger>
  >,
  { additionalProperties: false },
);

export const SiteDefinitionSchema = Type.Object(
  {
    id: Id,
    name: Type.String({ minLength: 1 }),
    /** Where the site is, `[lon, lat]`. */
    location: Position,
    /** Local time offset from UTC (minutes) that defines the site's days for appointments. Default 0. */
    utcOffsetMin: Type.Optional(Type.Integer({ minimum: -840, maximum: 840 })),
    /** Configuration the edges should run (sent in directives). */
    configVersion: Type.Optional(Type.String()),
    entrances: Type.Array(
      Type.Object(
        {
          id: Id,
          name: Type.String({ minLength: 1 }),
          location: Position,
          /**
           * FHIR `Location` references (`Location/1`) that stand for this entrance in appointments; a `Location`
           * participant listed nowhere is ignored with a warning.
           */
          fhirLocations: Type.Optional(
            Type.Array(Type.String({ pattern: '^Location/[A-Za-z0-9\\-.]{1,64}$' }), { maxItems: 100 }),
          ),
        },
        { additionalProperties: false },
      ),
      { default: [] },
    ),
    lots: Type.Array(
      Type.Object(
        {
          id: Id,
          name: Type.String({ minLength: 1 }),
          geometry: LotGeometry,
          /** Bays per kind in the whole lot. */
          capacity: Capacity,
          /** Zones of the lot; empty for a gate-counted lot (counts come as zone ""). */
          zones: Type.Array(
            Type.Object(
              { id: Id, name: Type.Optional(Type.String()), capacity: Type.Optional(Capacity) },
              { additionalProperties: false },
            ),
            { default: [] },
          ),
          /** Entry gate throughput (vehicles per minute), for the allocator. Default 6. */
          gateServiceVehPerMin: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
          /** Occupancy (%) at which the lot is published as almost full; default from the config. */
          almostFullPct: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
          /** Walking time (s) from the lot to each hospital entrance, by entrance id. */
          walkTimeSByEntrance: Type.Optional(Type.Record(Type.String(), Type.Number({ minimum: 0 }))),
          /** The last turns into the lot, as a driver's page shows them ("Turn right into Hospital Ave"). */
          lastTurns: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 6 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
    /**
     * The bay allocator's options for this site (every cost and limit, checked by the allocator's own schema,
     * `ALLOCATION_OPTIONS_SCHEMA`), over central's `CITYBAY_ALLOCATION_OPTIONS` key by key.
     */
    allocation: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false },
);
export type SiteDefinition = Static<typeof SiteDefinitionSchema>;
export type LotDefinition = SiteDefinition['lots'][number];
export type BayCapacity = Static<typeof Capacity>;

const pathOf = (pointer: string): string =>
  pointer
    .split('/')
    .slice(1)
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))
    .join('')
    .replace(/^\./, '');

/** Checks a parsed site definition: schema, unique ids, zone ids, entrance references. */
export function siteDefinitionFromDocument(document: unknown, fileName: string): SiteDefinition {
  const value = Value.Default(SiteDefinitionSchema, Value.Clone(document));
  const first = [...Value.Errors(SiteDefinitionSchema, value)][0];
  if (first) {
    const path = pathOf(first.path);
    throw errors.CB_SITE_INVALID(
      `${fileName}: ${path || '(root)'}: ${first.message}, got ${JSON.stringify(first.value)}`,
      {
        path,
      },
    );
  }
  const site = value as SiteDefinition;
  const fail = (path: string, message: string): never => {
    throw errors.CB_SITE_INVALID(`${fileName}: ${path}: ${message}`, { path });
  };
  const allocation = checkAllocationOptions(site.allocation ?? {}, fileName, 'allocation', errors.CB_SITE_INVALID);
  (allocation.parkAndRide ?? []).forEach((p, i) => {
    if (!site.lots.some((lot) => lot.id === p.lotId))
      fail(
        `allocation.parkAndRide[${i}].lotId`,
        `unknown lot "${p.lotId}" (known: ${site.lots.map((l) => l.id).join(', ')})`,
      );
  });
  const lotIds = new Set<string>();
  const entranceIds = new Set(site.entrances.map((e) => e.id));
  const locations = new Map<string, string>();
  site.entrances.forEach((entrance, i) => {
    entrance.fhirLocations?.forEach((reference, j) => {
      const other = locations.get(reference);
      if (other !== undefined)
        fail(`entrances[${i}].fhirLocations[${j}]`, `${reference} already stands for entrance "${other}"`);
      locations.set(reference, entrance.id);
    });
  });
  site.lots.forEach((lot, i) => {
    if (lotIds.has(lot.id)) fail(`lots[${i}].id`, `lot "${lot.id}" appears twice`);
    lotIds.add(lot.id);
    const zoneIds = new Set<string>();
    lot.zones.forEach((zone, z) => {
      if (zoneIds.has(zone.id)) fail(`lots[${i}].zones[${z}].id`, `zone "${zone.id}" appears twice in lot ${lot.id}`);
      zoneIds.add(zone.id);
    });
    for (const entrance of Object.keys(lot.walkTimeSByEntrance ?? {})) {
      if (!entranceIds.has(entrance)) {
        fail(`lots[${i}].walkTimeSByEntrance.${entrance}`, `unknown entrance (known: ${[...entranceIds].join(', ')})`);
      }
    }
  });
  return site;
}

/** Parses a site definition file (YAML or JSON text). Errors name the file and the bad field. */
export function parseSiteDefinition(text: string, fileName: string): SiteDefinition {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (cause) {
    throw errors.CB_SITE_INVALID(`${fileName}: not valid YAML/JSON (${(cause as Error).message})`, { cause });
  }
  return siteDefinitionFromDocument(document, fileName);
}

/** Total bays of a lot over every kind. */
export function lotCapacityTotal(lot: LotDefinition): number {
  return Object.values(lot.capacity).reduce((sum: number, n) => sum + (n ?? 0), 0);
}

/** FHIR `Location` reference → entrance id, from the entrances' `fhirLocations`. */
export function locationEntrancesOf(site: SiteDefinition): Record<string, string> {
  const map: Record<string, string> = {};
  for (const entrance of site.entrances)
    for (const reference of entrance.fhirLocations ?? []) map[reference] = entrance.id;
  return map;
}
