/**
 * The schema of the site file (`site.yaml`): one TypeBox schema for the file kind, validated once at
 * start by `loadSiteConfig`. `edge/site.schema.json` is generated from it (`npm run gen:schema -w @citybay/edge`).
 */
import { BAY_KINDS } from '@citybay/common';
import { type Static, Type } from '@sinclair/typebox';

const Id = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$',
  description: 'letters, digits, . _ : - (at most 64, starting with a letter or digit)',
});
const PositiveMs = (description: string, minimum = 1) => Type.Integer({ minimum, description });

export const BayKindNameSchema = Type.Union(
  BAY_KINDS.map((kind) => Type.Literal(kind)),
  { description: 'bay kind' },
);

export const ArrowNameSchema = Type.Union(
  [
    Type.Literal('none'),
    Type.Literal('left'),
    Type.Literal('right'),
    Type.Literal('ahead'),
    Type.Literal('ahead-left'),
    Type.Literal('ahead-right'),
    Type.Literal('back'),
  ],
  { description: 'arrow shown before the value' },
);

/** Line speeds serial devices are built for; anything else (19201) is a typing mistake. */
export const STANDARD_BAUD_RATES = [1200, 2400, 4800, 9600, 14400, 19200, 38400, 57600, 115200, 230400, 460800, 921600];
const BaudRate = Type.Union(
  STANDARD_BAUD_RATES.map((rate) => Type.Literal(rate)),
  { description: 'a standard line speed in bit/s' },
);

const SensorRef = {
  /** Device (a `buses[].devices[].id`) whose bay sensor reports this bay. Omit for unsensed bays. */
  device: Type.Optional(Id),
  /** 0-based bay index within the device (for a range: of its first bay). */
  deviceBay: Type.Optional(Type.Integer({ minimum: 0 })),
};

/** One bay. */
const SingleBay = Type.Object(
  { id: Id, kind: Type.Optional(BayKindNameSchema), ...SensorRef },
  { additionalProperties: false },
);

/** A run of bays `<prefix><n>` numbered from `firstNumber`, mapped to consecutive device bays. */
const BayRange = Type.Object(
  {
    prefix: Type.String({ pattern: '^[A-Za-z0-9._:-]{0,40}$' }),
    count: Type.Integer({ minimum: 1, maximum: 4096 }),
    /** Number of the first bay. Default 1. */
    firstNumber: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Zero-pad numbers to this many digits (`pad: 3` → `A007`). Default 0 (no padding). */
    pad: Type.Optional(Type.Integer({ minimum: 0, maximum: 6 })),
    kind: Type.Optional(BayKindNameSchema),
    ...SensorRef,
  },
  { additionalProperties: false },
);

const ZoneSchema = Type.Object(
  {
    id: Id,
    name: Type.Optional(Type.String()),
    bays: Type.Array(Type.Union([SingleBay, BayRange]), { minItems: 1 }),
  },
  { additionalProperties: false },
);

/** Where a gate count comes from: a counter point of a device, or the rising edges of a GPIO input. */
const CountSource = Type.Union([
  Type.Object({ device: Id, counter: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
  Type.Object({ gpio: Id }, { additionalProperties: false }),
]);

const GateSchema = Type.Object({ id: Id, entries: CountSource, exits: CountSource }, { additionalProperties: false });

const GateCountingSchema = Type.Object(
  {
    /** Bays of the lot for counting purposes. */
    capacity: Type.Integer({ minimum: 1, maximum: 100_000 }),
    /** Bay kind the gate count is reported as. Default `standard`. */
    kind: Type.Optional(BayKindNameSchema),
    gates: Type.Array(GateSchema, { minItems: 1 }),
    /** When the lot also has bay sensors: reset the count to the sensed occupancy this often, in ms. Default 900000. */
    recalibrateEveryMs: Type.Optional(PositiveMs('ms between recalibrations from bay sensors', 1000)),
  },
  { additionalProperties: false },
);

const LotSchema = Type.Object(
  {
    id: Id,
    name: Type.Optional(Type.String()),
    /** Status when central says nothing: a shared lot may be `closed` until central opens it. Default `open`. */
    defaultStatus: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])),
    zones: Type.Optional(Type.Array(ZoneSchema)),
    /** Present for lots counted at the gate instead of (or besides) per bay. */
    gateCounting: Type.Optional(GateCountingSchema),
  },
  { additionalProperties: false },
);

const DeviceSchema = Type.Object(
  {
    id: Id,
    /** Name of a device profile (see `profiles`). */
    profile: Type.String({ minLength: 1 }),
    /** Modbus unit id: 1–247 on RTU, 0–255 on TCP. */
    unitId: Type.Integer({ minimum: 0, maximum: 255 }),
    /** Poll interval overrides by poll group name, in ms. */
    pollIntervalsMs: Type.Optional(Type.Record(Type.String(), Type.Integer({ minimum: 10 }))),
    /** Override of the profile's stale limit, in ms. */
    staleAfterMs: Type.Optional(PositiveMs('points older than this are stale, in ms')),
  },
  { additionalProperties: false },
);

const BusCommon = {
  id: Id,
  /** Per-request timeout, in ms. Default 300 for RTU, 1000 for TCP. */
  timeoutMs: Type.Optional(PositiveMs('per-request timeout, in ms')),
  /** Retries of a failed request. Default 1. */
  retries: Type.Optional(Type.Integer({ minimum: 0, maximum: 5 })),
  /** Extra gap between requests, in ms. Default 0. */
  gapMs: Type.Optional(Type.Integer({ minimum: 0 })),
  devices: Type.Array(DeviceSchema),
};

const TcpBus = Type.Object(
  {
    ...BusCommon,
    transport: Type.Literal('tcp'),
    host: Type.String({ minLength: 1 }),
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
  },
  { additionalProperties: false },
);

const RtuBus = Type.Object(
  {
    ...BusCommon,
    transport: Type.Literal('rtu'),
    /** Serial device, e.g. `/dev/ttyUSB0` or `/dev/serial/by-id/...`. */
    path: Type.String({ minLength: 1 }),
    /** Line speed in bit/s, one of the standard rates. */
    baudRate: BaudRate,
    /** Default `even` (the Modbus serial-line default). */
    parity: Type.Optional(Type.Union([Type.Literal('none'), Type.Literal('even'), Type.Literal('odd')])),
    stopBits: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(2)])),
  },
  { additionalProperties: false },
);

const SignLineSchema = Type.Object(
  {
    /** Text before the arrow, e.g. `P2`. Default: the lot id. */
    label: Type.Optional(Type.String({ maxLength: 16 })),
    lot: Id,
    /** Show one zone of the lot. Default: the whole lot. */
    zone: Type.Optional(Id),
    /** Count only these bay kinds. Default: `standard` and `family` (what the public may use). */
    kinds: Type.Optional(Type.Array(BayKindNameSchema, { minItems: 1 })),
    arrow: ArrowNameSchema,
    /** Shown instead of a count when the data behind the line is stale. Default `{ text: '--' }`. */
    fallback: Type.Optional(
      Type.Union([
        Type.Literal('FULL'),
        Type.Literal('CLOSED'),
        Type.Object({ text: Type.String({ maxLength: 32 }) }, { additionalProperties: false }),
      ]),
    ),
  },
  { additionalProperties: false },
);

const SignDriverSchema = Type.Union([
  Type.Object(
    {
      type: Type.Literal('modbus'),
      /** A bus of `buses[]` the sign shares with sensors, its unit id and sign profile. */
      bus: Id,
      unitId: Type.Integer({ minimum: 0, maximum: 255 }),
      profile: Type.String({ minLength: 1 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('multi'),
      /** Serial device of an NTCIP 1203 MULTI text sign. */
      path: Type.String({ minLength: 1 }),
      /** Line speed in bit/s, one of the standard rates. */
      baudRate: BaudRate,
      /** Sign address on the serial line. Default 1. */
      address: Type.Optional(Type.Integer({ minimum: 0, maximum: 255 })),
      /** A `text-sign` device profile: lines, characters, fonts, arrow glyphs and line layout of the sign. */
      profile: Type.Optional(Type.String({ minLength: 1 })),
      /** Lines the sign has. Default: the profile's, else as many as `lines` below. */
      lines: Type.Optional(Type.Integer({ minimum: 1, maximum: 16 })),
      /** Characters per line. Default: the profile's, else 16. */
      charsPerLine: Type.Optional(Type.Integer({ minimum: 1, maximum: 64 })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('virtual'),
      lines: Type.Optional(Type.Integer({ minimum: 1, maximum: 16 })),
    },
    { additionalProperties: false },
  ),
]);

const SignSchema = Type.Object(
  {
    id: Id,
    /** Where the sign stands, for operators. */
    location: Type.String(),
    driver: SignDriverSchema,
    lines: Type.Array(SignLineSchema, { minItems: 1, maxItems: 16 }),
    /** The sign blanks itself when not written for this long, in ms; it is refreshed at half of it. Default 60000. */
    blankOutMs: Type.Optional(PositiveMs('the sign blanks itself after this long without a write, in ms', 1000)),
  },
  { additionalProperties: false },
);

const GpioSchema = Type.Object(
  {
    inputs: Type.Optional(
      Type.Array(
        Type.Object(
          {
            id: Id,
            /** Line offset on the GPIO chip (BCM number on a Raspberry Pi). */
            line: Type.Integer({ minimum: 0, maximum: 511 }),
            debounceMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
            isActiveLow: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    outputs: Type.Optional(
      Type.Array(
        Type.Object(
          {
            id: Id,
            line: Type.Integer({ minimum: 0, maximum: 511 }),
            /** `status-led` blinks while healthy; `fault-relay` closes (1) while any sign shows its fallback. */
            role: Type.Union([Type.Literal('status-led'), Type.Literal('fault-relay')]),
            isActiveLow: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    /** Kick the hardware watchdog this often, in ms; omit to leave the watchdog alone. */
    watchdogKickMs: Type.Optional(PositiveMs('ms between watchdog kicks', 100)),
    /** `onoff` (sysfs) or `fake` (no hardware). Default `onoff`, falling back to `fake` where GPIO is absent. */
    backend: Type.Optional(Type.Union([Type.Literal('onoff'), Type.Literal('fake')])),
  },
  { additionalProperties: false },
);

const CentralSchema = Type.Object(
  {
    /** Base URL of central, e.g. `https://central.example.org:8443`. */
    url: Type.String({ pattern: '^https?://[^\\s]+$', description: 'http:// or https:// URL' }),
    /** File holding this edge's secret (`cbk_…`), one line. Prefer this to `secret`. */
    secretFile: Type.Optional(Type.String({ minLength: 1 })),
    /** The secret inline (`cbk_` + 43 base64url characters). The env var CITYBAY_EDGE_SECRET wins over both. */
    secret: Type.Optional(Type.String()),
    /** PEM file of the CA that signed central's certificate (for a private CA). */
    caFile: Type.Optional(Type.String({ minLength: 1 })),
    /** How often to sync when there is nothing new, in ms (directives still arrive). Default 5000. */
    syncIntervalMs: Type.Optional(PositiveMs('ms between syncs when idle', 100)),
    /** Most summaries per request. Default 500. */
    batchMax: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })),
    /** Request timeout, in ms. Default 15000. */
    requestTimeoutMs: Type.Optional(PositiveMs('request timeout, in ms', 100)),
    /** First retry delay after a failure, in ms. Default 1000. */
    backoffInitialMs: Type.Optional(PositiveMs('first retry delay, in ms')),
    /** Longest retry delay, in ms. Default 60000. */
    backoffMaxMs: Type.Optional(PositiveMs('longest retry delay, in ms')),
  },
  { additionalProperties: false },
);

const IntervalsSchema = Type.Object(
  {
    /** A bay changes state only after its reading was stable this long, in ms. Default 3000. */
    debounceMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 600_000 })),
    /**
     * A device without a good read for this long has its bays `unknown`/`stale`, in ms. Default: two
     * poll cycles of the device's bay poll group (a device's own `staleAfterMs` wins).
     */
    deviceStaleMs: Type.Optional(PositiveMs('ms without a good read before a device is stale', 100)),
    /** One summary per window of this length, in ms. Default 5000. */
    summaryMs: Type.Optional(PositiveMs('summary window, in ms', 10)),
    /** A snapshot at least every this many summaries. Default 60. */
    snapshotEvery: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    /** Guidance is re-planned this often even without new readings (expiries), in ms. Default 1000. */
    planMs: Type.Optional(PositiveMs('ms between guidance re-plans', 10)),
  },
  { additionalProperties: false },
);

const GuidanceSchema = Type.Object(
  {
    /** A line shows FULL when free bays fall to this or below. Default 0. */
    fullAtFree: Type.Optional(Type.Integer({ minimum: 0 })),
    /** A FULL line shows a count again only when free bays reach this. Default fullAtFree + 3. */
    reopenAtFree: Type.Optional(Type.Integer({ minimum: 1 })),
    /** A line falls back when more than this share of its bays is unknown, in %. Default 25. */
    maxUnknownPct: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  },
  { additionalProperties: false },
);

const OutboxSchema = Type.Object(
  {
    /** SQLite file of the outbox (WAL). Relative paths are relative to the site file. */
    path: Type.String({ minLength: 1 }),
    /** At most this many summaries are kept; beyond, the oldest are compacted. Default 200000. */
    maxSummaries: Type.Optional(Type.Integer({ minimum: 100, maximum: 10_000_000 })),
  },
  { additionalProperties: false },
);

const HttpSchema = Type.Object(
  {
    /** Default 127.0.0.1. */
    host: Type.Optional(Type.String({ minLength: 1 })),
    /** Default 9464; 0 picks a free port. */
    port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
  },
  { additionalProperties: false },
);

export const SiteFileSchema = Type.Object(
  {
    site: Type.Object({ id: Id, name: Type.Optional(Type.String()) }, { additionalProperties: false }),
    edge: Type.Object({ id: Id }, { additionalProperties: false }),
    /** Version label of this configuration; bays are numbered by their position in it. */
    configVersion: Type.String({ minLength: 1, maxLength: 64 }),
    /** Device profile files (YAML or JSON), relative to the site file. */
    profiles: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    buses: Type.Optional(Type.Array(Type.Union([TcpBus, RtuBus]))),
    lots: Type.Array(LotSchema, { minItems: 1 }),
    signs: Type.Optional(Type.Array(SignSchema)),
    gpio: Type.Optional(GpioSchema),
    central: CentralSchema,
    outbox: OutboxSchema,
    intervals: Type.Optional(IntervalsSchema),
    guidance: Type.Optional(GuidanceSchema),
    http: Type.Optional(HttpSchema),
    /** pino level. Default `info`. */
    logLevel: Type.Optional(
      Type.Union(['trace', 'debug', 'info', 'warn', 'error', 'fatal'].map((l) => Type.Literal(l))),
    ),
  },
  {
    additionalProperties: false,
    $id: 'https://citybay.example/schemas/edge-site.json',
    title: 'citybay edge site file',
  },
);

export type SiteFile = Static<typeof SiteFileSchema>;
export type LotConfig = Static<typeof LotSchema>;
export type ZoneConfig = Static<typeof ZoneSchema>;
export type SignConfig = Static<typeof SignSchema>;
export type SignLineConfig = Static<typeof SignLineSchema>;
export type BusConfig = Static<typeof TcpBus> | Static<typeof RtuBus>;
export type DeviceConfig = Static<typeof DeviceSchema>;
export type GateConfig = Static<typeof GateSchema>;
export type CountSourceConfig = Static<typeof CountSource>;
export type BayKindName = Static<typeof BayKindNameSchema>;
export type ArrowName = Static<typeof ArrowNameSchema>;
