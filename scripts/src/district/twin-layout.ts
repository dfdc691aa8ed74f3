import { BAY_KINDS } from '@citybay/common';
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { errors } from '../errors.js';

const Kind = Type.Union(BAY_KINDS.map((kind) => Type.Literal(kind)));

/** One Modbus emulator the twin hosts: a TCP server, or an RTU slave on a socat pseudo-terminal pair. */
const TwinEmulatorSchema = Type.Object({
  key: Type.String({ minLength: 1 }),
  /** Shipped device profile name. */
  profile: Type.String({ minLength: 1 }),
  unitIds: Type.Array(Type.Integer({ minimum: 0, maximum: 255 }), { minItems: 1 }),
  transport: Type.Union([Type.Literal('tcp'), Type.Literal('rtu')]),
  port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
  /** RTU: the pseudo-terminal the edge opens; the emulator serves `<ptyPath>-emulator`. */
  ptyPath: Type.Optional(Type.String({ minLength: 1 })),
});

/** Consecutive emulated bays of one zone and kind on one controller. */
const TwinBayRangeSchema = Type.Object({
  zoneId: Type.String({ minLength: 1 }),
  kind: Kind,
  emulator: Type.String({ minLength: 1 }),
  unitId: Type.Integer({ minimum: 0, maximum: 255 }),
  firstBay: Type.Integer({ minimum: 0 }),
  count: Type.Integer({ minimum: 1 }),
});

/** Where the twin shows a simulated lot: per-bay sensors, or an entry/exit counter for gate-counted lots. */
const TwinLotSchema = Type.Object({
  lotId: Type.String({ minLength: 1 }),
  siteId: Type.String({ minLength: 1 }),
  gate: Type.Optional(
    Type.Object({ emulator: Type.String({ minLength: 1 }), unitId: Type.Integer({ minimum: 0, maximum: 255 }) }),
  ),
  ranges: Type.Array(TwinBayRangeSchema),
});

const TwinSignSchema = Type.Object({
  siteId: Type.String({ minLength: 1 }),
  signId: Type.String({ minLength: 1 }),
  location: Type.String(),
  emulator: Type.String({ minLength: 1 }),
  unitId: Type.Integer({ minimum: 0, maximum: 255 }),
  /** Labels printed on the sign face, line by line. */
  labels: Type.Array(Type.String()),
  /** The lot of its first line: an entrance sign not in the scenario stands at that lot's gate on the map. */
  lotId: Type.Optional(Type.String({ minLength: 1 })),
  /** The bays each line counts (as the edge's site file has them), to check what the signs show together. */
  areas: Type.Optional(
    Type.Array(
      Type.Object({
        lotId: Type.String({ minLength: 1 }),
        zoneId: Type.Optional(Type.String({ minLength: 1 })),
        kinds: Type.Array(Type.String({ minLength: 1 })),
      }),
    ),
  ),
});

/** Everything the twin process needs (`twin.json`): generated from the district by `generateDistrict`. */
export const TwinLayoutSchema = Type.Object({
  scenarioPath: Type.String({ minLength: 1 }),
  /** Site whose lots the hospital's appointments are allocated to (`POST /v1/appointments?siteId=`). */
  appointmentSiteId: Type.String({ minLength: 1 }),
  /** Local time offset of the district from UTC (minutes). */
  utcOffsetMin: Type.Integer({ minimum: -840, maximum: 840 }),
  emulators: Type.Array(TwinEmulatorSchema),
  lots: Type.Array(TwinLotSchema),
  signs: Type.Array(TwinSignSchema),
  /** Each edge's local endpoint (`http://host:port`), where the twin reads the directives the edge holds. */
  edges: Type.Optional(
    Type.Array(Type.Object({ siteId: Type.String({ minLength: 1 }), localUrl: Type.String({ minLength: 1 }) })),
  ),
  /** Lots the edges keep closed unless central opens them (`defaultStatus: closed`): their signs show CLOSED. */
  closedLotIds: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
  /** The edges' guidance settings, so the twin's own sign policy (before the live window) plans as they do. */
  guidance: Type.Optional(
    Type.Object({
      fullAtFree: Type.Integer({ minimum: 0 }),
      reopenAtFree: Type.Integer({ minimum: 0 }),
      maxUnknownPct: Type.Number({ minimum: 0, maximum: 100 }),
    }),
  ),
});

export type TwinEmulator = Static<typeof TwinEmulatorSchema>;
export type TwinBayRange = Static<typeof TwinBayRangeSchema>;
export type TwinLot = Static<typeof TwinLotSchema>;
export type TwinSign = Static<typeof TwinSignSchema>;
export type TwinLayout = Static<typeof TwinLayoutSchema>;

function pathOf(pointer: string): string {
  let out = '';
  for (const part of pointer.split('/').slice(1))
    out += /^\d+$/.test(part) ? `[${part}]` : out === '' ? part : `.${part}`;
  return out === '' ? '(root)' : out;
}

/** Parses a twin layout file; errors name the file and the bad field, and emulators every reference must find. */
export function parseTwinLayout(text: string, fileName: string): TwinLayout {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (cause) {
    throw errors.CB_TWIN_INVALID(`${fileName}: not valid JSON (${(cause as Error).message})`, {
      path: '(root)',
      cause,
    });
  }
  const first = Value.Errors(TwinLayoutSchema, document).First();
  if (first !== undefined) {
    const path = pathOf(first.path);
    throw errors.CB_TWIN_INVALID(`${fileName}: ${path}: ${first.message}, got ${JSON.stringify(first.value)}`, {
      path,
    });
  }
  const layout = document as TwinLayout;
  const keys = new Set(layout.emulators.map((e) => e.key));
  const check = (key: string, path: string) => {
    if (!keys.has(key))
      throw errors.CB_TWIN_INVALID(`${fileName}: ${path}: no emulator "${key}" in emulators`, { path });
  };
  layout.lots.forEach((lot, l) => {
    if (lot.gate) check(lot.gate.emulator, `lots[${l}].gate.emulator`);
    lot.ranges.forEach((range, r) => check(range.emulator, `lots[${l}].ranges[${r}].emulator`));
  });
  layout.signs.forEach((sign, s) => check(sign.emulator, `signs[${s}].emulator`));
  return layout;
}
