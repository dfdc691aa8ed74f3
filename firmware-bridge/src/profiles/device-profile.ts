/**
 * The schema of a device profile: a device's register map as data. One schema for the file kind
 * (JSON or YAML), validated by `loadProfile`. Addresses are 0-based wire addresses.
 */
import { type Static, Type } from '@sinclair/typebox';

const Name = Type.String({ pattern: '^[a-zA-Z][a-zA-Z0-9_-]*$', maxLength: 64 });
const U16 = Type.Integer({ minimum: 0, maximum: 0xffff });

export const RegisterKindSchema = Type.Union([
  Type.Literal('coil'),
  Type.Literal('discrete'),
  Type.Literal('holding'),
  Type.Literal('input'),
]);

/** What a bay value means. `fault`, `sensor-dirty`, `disabled` make the bay `unknown` with that reason. */
export const BayMeaningSchema = Type.Union([
  Type.Literal('free'),
  Type.Literal('occupied'),
  Type.Literal('fault'),
  Type.Literal('sensor-dirty'),
  Type.Literal('disabled'),
]);

/** One bit per bay, bay `firstBay + i` is bit `i` of the block (LSB of the first byte first, as on the wire). */
const BitPerBayDecode = Type.Object(
  {
    type: Type.Literal('bit-per-bay'),
    /** Bay index of the first bit. Default 0. */
    firstBay: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Bit value meaning occupied. Default 1. */
    occupiedWhen: Type.Optional(Type.Union([Type.Literal(0), Type.Literal(1)])),
  },
  { additionalProperties: false },
);

/** One register per bay; the value (after mask/shift) is looked up in `values`. */
const RegisterPerBayDecode = Type.Object(
  {
    type: Type.Literal('register-per-bay'),
    firstBay: Type.Optional(Type.Integer({ minimum: 0 })),
    mask: Type.Optional(U16),
    shift: Type.Optional(Type.Integer({ minimum: 0, maximum: 15 })),
    /** Value → meaning, keys are decimal values (`"0": free`). Unlisted values give `unknown`/`bad-value`. */
    values: Type.Record(Type.String({ pattern: '^[0-9]+$' }), BayMeaningSchema),
  },
  { additionalProperties: false },
);

/** Several bays packed per register, `bitsPerBay` each, lowest bits first. */
const PackedDecode = Type.Object(
  {
    type: Type.Literal('packed'),
    firstBay: Type.Optional(Type.Integer({ minimum: 0 })),
    bitsPerBay: Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(4), Type.Literal(8)]),
    /** Number of bays in the block (the last register may be partly used). */
    bays: Type.Integer({ minimum: 1 }),
    values: Type.Record(Type.String({ pattern: '^[0-9]+$' }), BayMeaningSchema),
  },
  { additionalProperties: false },
);

const NumberFormat = {
  /** 16 or 32 bits; a 32-bit value spans two registers. Default 16. */
  width: Type.Optional(Type.Union([Type.Literal(16), Type.Literal(32)])),
  isSigned: Type.Optional(Type.Boolean()),
  /** Byte order within each register. Default `big` (Modbus standard). */
  byteOrder: Type.Optional(Type.Union([Type.Literal('big'), Type.Literal('little')])),
  /** Which register of a 32-bit pair holds the high word. Default `high-first`. */
  wordOrder: Type.Optional(Type.Union([Type.Literal('high-first'), Type.Literal('low-first')])),
  mask: Type.Optional(Type.Integer({ minimum: 0, maximum: 0xffffffff })),
  shift: Type.Optional(Type.Integer({ minimum: 0, maximum: 31 })),
  /** value = ((raw >> shift) & mask) * scale + offset. Defaults 1 and 0. */
  scale: Type.Optional(Type.Number()),
  offset: Type.Optional(Type.Number()),
};

/** A counter (entries/exits at a gate) reported in `DeviceReading.counters`. */
const CounterDecode = Type.Object({ type: Type.Literal('counter'), ...NumberFormat }, { additionalProperties: false });
/** Any other numeric value, reported in `DeviceReading.points`. */
const ValueDecode = Type.Object({ type: Type.Literal('value'), ...NumberFormat }, { additionalProperties: false });

const StatusFlag = Type.Object(
  {
    name: Name,
    bit: Type.Integer({ minimum: 0, maximum: 15 }),
    /** `fault` makes every bay of the device `unknown`/`device-fault` while set. */
    severity: Type.Union([Type.Literal('fault'), Type.Literal('warning'), Type.Literal('info')]),
    /** Flag is set when the bit equals this. Default 1. */
    activeWhen: Type.Optional(Type.Union([Type.Literal(0), Type.Literal(1)])),
  },
  { additionalProperties: false },
);
const StatusDecode = Type.Object(
  { type: Type.Literal('status'), flags: Type.Array(StatusFlag, { minItems: 1 }) },
  { additionalProperties: false },
);

export const PointDecodeSchema = Type.Union([
  BitPerBayDecode,
  RegisterPerBayDecode,
  PackedDecode,
  CounterDecode,
  ValueDecode,
  StatusDecode,
]);

export const PointSchema = Type.Object(
  {
    name: Name,
    register: RegisterKindSchema,
    /** 0-based wire address of the first register or bit. */
    address: U16,
    /** Registers or bits covered (for bit-per-bay: bays; for a 32-bit counter: 2). */
    count: Type.Integer({ minimum: 1, maximum: 2000 }),
    /** Poll group name (see `pollGroups`). Default `default`. */
    pollGroup: Type.Optional(Name),
    decode: PointDecodeSchema,
  },
  { additionalProperties: false },
);

const SignLineRegisters = Type.Object(
  {
    /** Holding register: the free count (or 0 when mode is not `count`). */
    count: U16,
    /** Holding register: arrow code (see `arrowCodes`). */
    arrow: U16,
    /** Holding register: colour code (see `colourCodes`). */
    colour: U16,
    /** Holding register: 0 count, 1 FULL, 2 CLOSED, 3 blank. */
    mode: U16,
  },
  { additionalProperties: false },
);

/** For `kind: sign`: where the Modbus-register sign keeps what it shows. */
export const SignSectionSchema = Type.Object(
  {
    lines: Type.Array(SignLineRegisters, { minItems: 1, maxItems: 16 }),
    /** Holding register: brightness 0–100 %, 0xFFFF for automatic. */
    brightness: U16,
    /** Input register with fault bits (see `faultBits`). */
    faults: Type.Optional(U16),
    faultBits: Type.Optional(Type.Record(Type.String({ pattern: '^[0-9]+$' }), Name)),
    /** Largest count the sign can display; larger counts are shown capped. Default 9999. */
    maxCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 0xffff })),
    arrowCodes: Type.Record(Type.String(), U16),
    colourCodes: Type.Record(Type.String(), U16),
  },
  { additionalProperties: false },
);

const Glyph = Type.Integer({ minimum: 0x20, maximum: 0xffff, description: 'character code in the sign font' });

/** For `kind: text-sign`: an NTCIP 1203 MULTI character sign (what its MULTI validation accepts). */
export const TextSignSectionSchema = Type.Object(
  {
    /** Lines the sign shows at once. */
    lines: Type.Integer({ minimum: 1, maximum: 16 }),
    /** Characters per line (of the default font). */
    charsPerLine: Type.Integer({ minimum: 1, maximum: 64 }),
    /** Font numbers the sign has. Default [1]. */
    fonts: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 255 }), { minItems: 1, maxItems: 255 })),
    /** Default font (`[fo]`). Default 1. */
    defaultFont: Type.Optional(Type.Integer({ minimum: 1, maximum: 255 })),
    /** Pages one message may have. Default 6. */
    maxPages: Type.Optional(Type.Integer({ minimum: 1, maximum: 255 })),
    /** Line justification of `[jl]` and untagged text. Default `center`. */
    defaultJustification: Type.Optional(
      Type.Union([Type.Literal('left'), Type.Literal('center'), Type.Literal('right')]),
    ),
    /** Character codes of the font's arrow glyphs, drawn with `[hcX]`; arrows not listed are drawn in ASCII (`<`, `>`, `^`…). */
    arrowGlyphs: Type.Optional(
      Type.Partial(
        Type.Object({
          left: Glyph,
          right: Glyph,
          ahead: Glyph,
          'ahead-left': Glyph,
          'ahead-right': Glyph,
          down: Glyph,
          'down-left': Glyph,
          'down-right': Glyph,
          back: Glyph,
        }),
        { additionalProperties: false },
      ),
    ),
    /** Other character codes the font has beyond printable ASCII. */
    glyphs: Type.Optional(Type.Array(Glyph, { maxItems: 1024 })),
    /** `inline` (default): `P2 < 23`; `split`: label and arrow on the left, the count on the right. */
    lineLayout: Type.Optional(Type.Union([Type.Literal('inline'), Type.Literal('split')])),
  },
  { additionalProperties: false },
);

export const DeviceProfileSchema = Type.Object(
  {
    /** Profile name, used by configs and the emulator CLI. */
    name: Name,
    description: Type.String(),
    kind: Type.Union([
      Type.Literal('bay-controller'),
      Type.Literal('counter'),
      Type.Literal('sign'),
      Type.Literal('text-sign'),
    ]),
    /** Bays the device reports (0 for counters and signs). */
    bayCount: Type.Integer({ minimum: 0, maximum: 4096 }),
    /** Poll groups and their default intervals; a device config may override an interval. */
    pollGroups: Type.Record(
      Name,
      Type.Object({ intervalMs: Type.Integer({ minimum: 10 }) }, { additionalProperties: false }),
    ),
    /** Points older than this are stale (bays become `unknown`/`stale`). Default 3 × the slowest interval. */
    staleAfterMs: Type.Optional(Type.Integer({ minimum: 1 })),
    points: Type.Array(PointSchema),
    sign: Type.Optional(SignSectionSchema),
    /** For `kind: text-sign`. */
    multi: Type.Optional(TextSignSectionSchema),
  },
  { additionalProperties: false },
);

export type DeviceProfile = Static<typeof DeviceProfileSchema>;
export type ProfilePoint = Static<typeof PointSchema>;
export type PointDecode = Static<typeof PointDecodeSchema>;
export type BayMeaning = Static<typeof BayMeaningSchema>;
export type SignSection = Static<typeof SignSectionSchema>;
export type TextSignSection = Static<typeof TextSignSectionSchema>;
