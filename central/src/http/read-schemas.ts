import { type Static, type TProperties, type TSchema, Type } from '@sinclair/typebox';
import type { DirectivesLogEntry, EdgeStatus } from '../core/edge-record.js';
import type { LotFeatureCollection } from '../core/lots-geojson.js';
import type { AreaCounts } from '../core/lot-status.js';
import { Capacity as SiteCapacity, LotGeometry, Position } from '../core/site-definition.js';
import type {
  DeviceHealthRecord,
  GateCountRecord,
  HistoryPoint,
  SignFaceRecord,
  ZoneState,
} from '../core/sync-records.js';
import { titled } from './response-schemas.js';

// Response schemas of the read API, the exports' GeoJSON and the operator API (which answers the directives).

const Ms = (description: string) => Type.Number({ description: `${description} (ms since the epoch)` });
const Count = Type.Integer({ minimum: 0 });
/** Bays per kind, as the site definition gives them. */
export const Capacity = titled(SiteCapacity, 'BayCapacity');

/** Free, occupied and unknown bays of one kind. */
const KindCountSchema = Type.Object({ free: Count, occupied: Count, unknown: Count });
/** Counts by bay kind name (`standard`, `accessible`, `family`, `ev`, `staff`). */
export const KindCountsSchema = Type.Record(Type.String(), KindCountSchema, { title: 'KindCounts' });

export const ParkingStatusSchema = Type.Union(
  (['spacesAvailable', 'almostFull', 'full', 'closed', 'unknown'] as const).map((s) => Type.Literal(s)),
  { title: 'ParkingStatus', description: 'DATEX II ParkingSiteStatusEnum spelling' },
);

const AreaCountsProperties = {
  capacity: Count,
  free: Count,
  occupied: Count,
  unknown: Count,
  vacant: Type.Integer({
    minimum: 0,
    description: 'free bays offered to the public: free less reservations, 0 when closed',
  }),
  reserved: Count,
  occupancyPct: Type.Number({ minimum: 0, maximum: 100 }),
  status: ParkingStatusSchema,
  originMs: Type.Union([Type.Number(), Type.Null()], {
    description: 'newest window end among the counts; null without data',
  }),
};

const AreaCountsSchema = Type.Object(AreaCountsProperties);

export const ZoneStateSchema = Type.Object(
  {
    siteId: Type.String(),
    lotId: Type.String(),
    zoneId: Type.String({ description: 'empty: the whole lot (gate-counted lots)' }),
    kinds: KindCountsSchema,
    free: Count,
    occupied: Count,
    unknown: Count,
    windowEndMs: Ms('end of the window the counts describe'),
    edgeId: Type.String(),
    seq: Type.Integer({ minimum: 0 }),
  },
  { title: 'ZoneState' },
);

// Directives as stored and sent to edges (protobuf field names; enums as their protobuf numbers).
const SignLineWireSchema = Type.Object(
  {
    label: Type.Optional(Type.String()),
    arrow: Type.Optional(Type.Integer({ description: 'protobuf Arrow' })),
    mode: Type.Optional(Type.Integer({ description: 'protobuf LineMode' })),
    count: Type.Optional(Type.Integer()),
    text: Type.Optional(Type.String()),
    colour: Type.Optional(Type.Integer({ description: 'protobuf Colour' })),
  },
  { title: 'SignLine' },
);
const LotOverrideSchema = Type.Object(
  {
    lotId: Type.Optional(Type.String()),
    zoneId: Type.Optional(Type.String()),
    status: Type.Optional(Type.Integer({ description: 'protobuf AreaStatus: 1 open, 2 closed, 3 full' })),
    validFromMs: Type.Optional(Type.Number()),
    validUntilMs: Type.Optional(Type.Number({ description: '0: until replaced' })),
    reason: Type.Optional(Type.String()),
  },
  { title: 'LotOverride' },
);
export const DirectivesSchema = Type.Object(
  {
    siteId: Type.Optional(Type.String()),
    version: Type.Optional(Type.Integer({ minimum: 0 })),
    issuedMs: Type.Optional(Type.Number()),
    configVersion: Type.Optional(Type.String()),
    reservations: Type.Optional(
      Type.Array(
        Type.Object({
          reservationId: Type.Optional(Type.String()),
          lotId: Type.Optional(Type.String()),
          zoneId: Type.Optional(Type.String()),
          kind: Type.Optional(Type.Integer({ description: 'protobuf BayKind' })),
          bayId: Type.Optional(Type.String()),
          validFromMs: Type.Optional(Type.Number()),
          validUntilMs: Type.Optional(Type.Number()),
        }),
      ),
    ),
    lotOverrides: Type.Optional(Type.Array(LotOverrideSchema)),
    signOverrides: Type.Optional(
      Type.Array(
        Type.Object({
          signId: Type.Optional(Type.String()),
          lines: Type.Optional(Type.Array(SignLineWireSchema)),
          expiresMs: Type.Optional(Type.Number()),
          reason: Type.Optional(Type.String()),
        }),
      ),
    ),
  },
  {
    title: 'Directives',
    description: 'the directives of a site: reservations, lot and sign overrides, as edges receive them',
  },
);

const SiteTotalsProperties = { siteId: Type.String(), name: Type.String(), ...AreaCountsSchema.properties };

export const SitesSchema = Type.Object({
  sites: Type.Array(
    Type.Object({
      ...SiteTotalsProperties,
      location: Position,
      lotIds: Type.Array(Type.String()),
    }),
  ),
});

export const EdgeStatusSchema = Type.Object(
  {
    edgeId: Type.String(),
    siteId: Type.String(),
    ackedSeq: Type.Integer({ minimum: 0 }),
    missingSeqCount: Count,
    lastSeenMs: Ms('last sync'),
    softwareVersion: Type.String(),
    configVersion: Type.String(),
    directivesVersionApplied: Type.Integer({ minimum: 0 }),
    directivesVersionSent: Type.Integer({ minimum: 0 }),
    secretCount: Count,
  },
  { title: 'EdgeStatus' },
);

export const SiteSchema = (definition: TSchema) =>
  Type.Object(
    {
      definition: titled(definition, 'SiteDefinition'),
      status: Type.Object(SiteTotalsProperties, { title: 'SiteTotals' }),
      edges: Type.Array(EdgeStatusSchema),
    },
    { title: 'Site' },
  );

const LotStatusProperties = {
  siteId: Type.String(),
  lotId: Type.String(),
  name: Type.String(),
  capacityByKind: Capacity,
  kinds: KindCountsSchema,
  override: Type.Union([LotOverrideSchema, Type.Null()], { description: "the lot's active override, if any" }),
  ...AreaCountsProperties,
} satisfies TProperties;

export const LotsSchema = Type.Object({ lots: Type.Array(Type.Object(LotStatusProperties, { title: 'LotSummary' })) });
export const LotSchema = Type.Object({ ...LotStatusProperties, zones: Type.Array(ZoneStateSchema) }, { title: 'Lot' });
export const ZonesSchema = Type.Object({ zones: Type.Array(ZoneStateSchema) });

const HistoryPointSchema = Type.Object({
  siteId: Type.String(),
  lotId: Type.String(),
  zoneId: Type.String(),
  bucketMs: Ms('start of the minute'),
  kinds: KindCountsSchema,
  free: Count,
  occupied: Count,
  unknown: Count,
  freeMin: Count,
  freeMax: Count,
  samples: Type.Integer({ minimum: 1, description: 'summaries in the minute' }),
  lastMs: Ms('window end of the last summary'),
});
export const HistorySchema = Type.Object({
  fromMs: Type.Number(),
  toMs: Type.Number(),
  bucketMs: Type.Literal(60_000),
  points: Type.Array(HistoryPointSchema),
});

const DeviceSchema = Type.Object({
  siteId: Type.String(),
  deviceId: Type.String(),
  edgeId: Type.String(),
  status: Type.Union((['unspecified', 'ok', 'degraded', 'offline'] as const).map((s) => Type.Literal(s))),
  okCount: Count,
  timeoutCount: Count,
  crcErrorCount: Count,
  exceptionCount: Count,
  lastGoodMs: Type.Number(),
  reportedMs: Type.Number(),
});
const SignSchema = Type.Object({
  siteId: Type.String(),
  signId: Type.String(),
  edgeId: Type.String(),
  lines: Type.Array(SignLineWireSchema),
  isFallback: Type.Boolean(),
  reportedMs: Type.Number(),
});
const GateSchema = Type.Object({
  siteId: Type.String(),
  lotId: Type.String(),
  gateId: Type.String(),
  entriesTotal: Count,
  exitsTotal: Count,
  reportedMs: Type.Number(),
});

/** `{ devices | signs | gates | edges: [...] }` of a site. */
export const SiteListSchemas = {
  devices: Type.Object({ devices: Type.Array(DeviceSchema) }),
  signs: Type.Object({ signs: Type.Array(SignSchema) }),
  gates: Type.Object({ gates: Type.Array(GateSchema) }),
  edges: Type.Object({ edges: Type.Array(EdgeStatusSchema) }),
} as const;

export const DirectivesLogSchema = Type.Object({
  log: Type.Array(
    Type.Object({ siteId: Type.String(), edgeId: Type.String(), version: Type.Integer(), sentMs: Type.Number() }),
  ),
});

export const LotFeatureCollectionSchema = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(
    Type.Object({
      type: Type.Literal('Feature'),
      id: Type.String({ description: '<siteId>/<lotId>' }),
      geometry: titled(LotGeometry, 'LotGeometry'),
      properties: Type.Object({
        siteId: Type.String(),
        siteName: Type.String(),
        lotId: Type.String(),
        name: Type.String(),
        capacity: Count,
        capacityByKind: Capacity,
        free: Count,
        occupied: Count,
        unknown: Count,
        vacant: Count,
        reserved: Count,
        occupancyPct: Type.Number(),
        status: ParkingStatusSchema,
        originTime: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
      }),
    }),
  ),
});

// The schemas and the records they publish describe one shape: each must be assignable to the other.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const checks: [
  Same<Static<typeof ZoneStateSchema>, Omit<ZoneState, 'kinds'> & { kinds: Static<typeof KindCountsSchema> }>,
  Same<Static<typeof EdgeStatusSchema>, EdgeStatus>,
  Same<Static<typeof DeviceSchema>, DeviceHealthRecord>,
  Same<Static<typeof GateSchema>, GateCountRecord>,
  Same<Static<typeof DirectivesLogSchema>['log'][number], DirectivesLogEntry>,
  Same<Omit<Static<typeof HistoryPointSchema>, 'kinds'>, Omit<HistoryPoint, 'kinds'>>,
  Same<Omit<Static<typeof SignSchema>, 'lines'>, Omit<SignFaceRecord, 'lines'>>,
  Same<Static<typeof LotFeatureCollectionSchema>['type'], LotFeatureCollection['type']>,
  Same<Static<typeof AreaCountsSchema>, AreaCounts>,
] = [true, true, true, true, true, true, true, true, true];
void checks;
