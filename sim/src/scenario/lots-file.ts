import { type Static, type TInteger, type TOptional, Type } from '@sinclair/typebox';
import { errors } from '../errors.js';
import { BAY_KINDS, type BayKind, type CapacityWindow, type MinuteWindow, type ParkingLot } from '../model/index.js';
import { parseSumoParkingLots } from '../sumo/sumo-parking-areas.js';
import { parseClockMin } from './clock-time.js';
import { checkSchema, joinPath, parseYamlText } from './schema-check.js';

const BayKindSchema = Type.Union(
  BAY_KINDS.map((kind) => Type.Literal(kind)),
  { description: 'a bay kind' },
);
const CapacityByKindSchema = Type.Object(
  Object.fromEntries(BAY_KINDS.map((kind) => [kind, Type.Optional(Type.Integer({ minimum: 0 }))])) as Record<
    BayKind,
    TOptional<TInteger>
  >,
  { additionalProperties: false, description: `bays per kind (${BAY_KINDS.join(', ')})` },
);
const ClockSchema = Type.String({ pattern: '^\\d{1,2}:\\d{2}$', description: 'a time of day HH:MM' });
const WindowSchema = Type.String({ pattern: '^\\d{1,2}:\\d{2}-\\d{1,2}:\\d{2}$', description: 'HH:MM-HH:MM' });

const LotSchema = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    name: Type.Optional(Type.String()),
    entryEdgeId: Type.String({ minLength: 1 }),
    /** Edge the lot's exit opens onto; absent: leaving cars leave the model. */
    exitEdgeId: Type.Optional(Type.String({ minLength: 1 })),
    gateServiceVehPerMin: Type.Number({ exclusiveMinimum: 0 }),
    /** Shorthand for a single zone named `main`. */
    capacityByKind: Type.Optional(CapacityByKindSchema),
    zones: Type.Optional(
      Type.Array(Type.Object({ id: Type.String({ minLength: 1 }), capacityByKind: CapacityByKindSchema })),
    ),
    openingHours: Type.Optional(Type.Array(WindowSchema)),
    capacityWindows: Type.Optional(
      Type.Array(
        Type.Object({
          kind: BayKindSchema,
          capacityBays: Type.Integer({ minimum: 0 }),
          from: ClockSchema,
          to: ClockSchema,
        }),
      ),
    ),
    walkTimeSByEntrance: Type.Optional(Type.Record(Type.String(), Type.Number({ minimum: 0 }))),
    reserveByKind: Type.Optional(CapacityByKindSchema),
  },
  { additionalProperties: false },
);

/** The lots file: `lots: [...]` in YAML or JSON. Shared by `citybay-sim run` (via scenarios) and `allocate`. */
export const LotsFileSchema = Type.Object(
  { lots: Type.Array(LotSchema, { minItems: 1 }) },
  { additionalProperties: false },
);
export type LotsFileDocument = Static<typeof LotsFileSchema>;
type LotDocument = Static<typeof LotSchema>;

/**
 * Parses a lots file (YAML or JSON, or a SUMO additional file with `<parkingArea>`s) into {@link ParkingLot}s. Throws `CB_LOTS_INVALID` naming the file and the
 * path of the first bad field; nothing is returned half-parsed.
 */
export function parseLotsFile(text: string, fileName: string): ParkingLot[] {
  // A SUMO additional file with parkingAreas serves as a lots file too (see sumo/sumo-parking-areas.ts).
  if (/^\s*</.test(text)) return parseSumoParkingLots(text, fileName);
  return lotsFromDocument(parseYamlText(text, fileName, errors.CB_LOTS_INVALID), fileName, '');
}

/** Validates an already parsed `{ lots: [...] }` value; `pathPrefix` places it inside a bigger file. */
export function lotsFromDocument(value: unknown, fileName: string, pathPrefix: string): ParkingLot[] {
  const document = checkSchema(LotsFileSchema, value, fileName, errors.CB_LOTS_INVALID, pathPrefix);
  const seen = new Set<string>();
  return document.lots.map((lot, index) => {
    const at = joinPath(pathPrefix, `lots[${index}]`);
    if (seen.has(lot.id))
      throw errors.CB_LOTS_INVALID(`${fileName}: ${at}.id: duplicate lot id "${lot.id}"`, { path: `${at}.id` });
    seen.add(lot.id);
    return toParkingLot(lot, fileName, at);
  });
}

function toParkingLot(lot: LotDocument, fileName: string, at: string): ParkingLot {
  const fail = (field: string, message: string) =>
    errors.CB_LOTS_INVALID(`${fileName}: ${at}.${field}: ${message}`, { path: `${at}.${field}` });
  if (lot.capacityByKind !== undefined && lot.zones !== undefined) {
    throw fail('zones', 'give either capacityByKind (one zone) or zones, not both');
  }
  const zones =
    lot.zones ?? (lot.capacityByKind === undefined ? [] : [{ id: 'main', capacityByKind: lot.capacityByKind }]);
  const totalBays = zones.reduce(
    (sum, zone) => sum + Object.values(zone.capacityByKind).reduce((a: number, b) => a + (b ?? 0), 0),
    0,
  );
  if (totalBays === 0) throw fail(lot.zones === undefined ? 'capacityByKind' : 'zones', 'a lot needs at least one bay');
  const openingHours: MinuteWindow[] = (lot.openingHours ?? []).map((text, i) => {
    const [from = '', to = ''] = text.split('-');
    return toWindow(from, to, () => fail(`openingHours[${i}]`, `"${text}" is not a window HH:MM-HH:MM with from < to`));
  });
  const capacityWindows: CapacityWindow[] = (lot.capacityWindows ?? []).map((window, i) => ({
    kind: window.kind,
    capacityBays: window.capacityBays,
    ...toWindow(window.from, window.to, () =>
      fail(`capacityWindows[${i}]`, `"${window.from}-${window.to}" is not a window with from < to`),
    ),
  }));
  return {
    id: lot.id,
    name: lot.name ?? lot.id,
    entryEdgeId: lot.entryEdgeId,
    ...(lot.exitEdgeId === undefined ? {} : { exitEdgeId: lot.exitEdgeId }),
    zones: zones.map((zone) => ({ id: zone.id, capacityByKind: { ...zone.capacityByKind } })),
    gateServiceVehPerMin: lot.gateServiceVehPerMin,
    openingHours,
    capacityWindows,
    walkTimeSByEntrance: { ...(lot.walkTimeSByEntrance ?? {}) },
    reserveByKind: { ...(lot.reserveByKind ?? {}) },
  };
}

function toWindow(fromText: string, toText: string, fail: () => Error): MinuteWindow {
  const fromMin = parseClockMin(fromText);
  const toMin = parseClockMin(toText);
  if (fromMin === undefined || toMin === undefined || fromMin >= toMin) throw fail();
  return { fromMin, toMin };
}

/** Total bays of one kind in a lot (all zones), before time windows. */
export function lotCapacityOfKind(lot: ParkingLot, kind: BayKind): number {
  return lot.zones.reduce((sum, zone) => sum + (zone.capacityByKind[kind] ?? 0), 0);
}
