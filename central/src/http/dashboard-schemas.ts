import { type TObject, Type } from '@sinclair/typebox';
import { Capacity, KindCountsSchema } from './read-schemas.js';
import { titled } from './response-schemas.js';

// The dashboard's snapshot (`GET /v1/dashboard/state`, and the first event of its live feed): every site's lots,
// zones, signs, devices, edges and directives as the dashboard draws them, the twin's last report and the map.

const Count = Type.Integer({ minimum: 0 });
/** A sign line in the words a driver reads (`{ label: 'P2', arrow: 'left', text: '23', colour: 'green' }`). */
const FaceLine = Type.Object(
  { label: Type.String(), arrow: Type.String(), text: Type.String(), colour: Type.String() },
  { title: 'SignFaceLine' },
);

const SiteSnapshot = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    lots: Type.Array(
      Type.Object({ id: Type.String(), name: Type.String(), capacity: Capacity, zones: Type.Array(Type.String()) }),
    ),
    zones: Type.Array(
      Type.Object({
        lotId: Type.String(),
        zoneId: Type.String(),
        kinds: KindCountsSchema,
        free: Count,
        occupied: Count,
        unknown: Count,
        windowEndMs: Type.Number(),
        ageMs: Type.Number({ description: 'age of the counts now' }),
      }),
    ),
    signs: Type.Array(
      Type.Object({
        signId: Type.String(),
        edgeId: Type.String(),
        isFallback: Type.Boolean(),
        reportedMs: Type.Number(),
        lines: Type.Array(FaceLine),
      }),
    ),
    devices: Type.Array(
      Type.Object({
        deviceId: Type.String(),
        edgeId: Type.String(),
        status: Type.String(),
        okCount: Count,
        timeoutCount: Count,
        crcErrorCount: Count,
        exceptionCount: Count,
        lastGoodMs: Type.Number(),
      }),
    ),
    edges: Type.Array(
      Type.Object({
        edgeId: Type.String(),
        ackedSeq: Type.Integer({ minimum: 0 }),
        missingSeqCount: Count,
        lastSeenMs: Type.Number(),
        softwareVersion: Type.String(),
        directivesVersionApplied: Type.Integer({ minimum: 0 }),
        directivesVersionSent: Type.Integer({ minimum: 0 }),
      }),
    ),
    directives: Type.Object({
      version: Type.Integer({ minimum: 0 }),
      reservationCount: Count,
      reservationsByLot: Type.Record(Type.String(), Count),
      heldNowByLot: Type.Record(Type.String(), Type.Record(Type.String(), Count), {
        description: 'reservations held from the public now, by lot and bay kind',
      }),
      reservations: Type.Array(
        Type.Object({
          id: Type.Optional(Type.String()),
          lotId: Type.Optional(Type.String()),
          zoneId: Type.Optional(Type.String()),
          kind: Type.String(),
          bayId: Type.Optional(Type.String()),
          validFromMs: Type.Number(),
          validUntilMs: Type.Number(),
        }),
        { description: 'the first upcoming reservations (reservationCount counts all)' },
      ),
      lotOverrides: Type.Array(
        Type.Object({
          lotId: Type.Optional(Type.String()),
          zoneId: Type.Optional(Type.String()),
          status: Type.String(),
          reason: Type.Optional(Type.String()),
          validUntilMs: Type.Number(),
        }),
      ),
      signOverrides: Type.Array(
        Type.Object({
          signId: Type.Optional(Type.String()),
          reason: Type.Optional(Type.String()),
          expiresMs: Type.Number(),
          lines: Type.Array(FaceLine),
        }),
      ),
    }),
  },
  { title: 'DashboardSite' },
);

/**
 * The snapshot, with the twin's report and the map as their own schemas describe them. The twin's report keeps
 * fields its schema does not name yet (the demo twin may send more than this build knows).
 */
export function dashboardSnapshotSchema(twin: TObject, map: TObject): TObject {
  return Type.Object(
    {
      nowMs: Type.Number(),
      sites: Type.Array(SiteSnapshot),
      twin: Type.Union([
        Type.Object(twin.properties, { additionalProperties: true, title: 'TwinReport' }),
        Type.Null(),
      ]),
      map: Type.Union([titled(map, 'DashboardMap'), Type.Null()]),
    },
    { title: 'DashboardSnapshot' },
  );
}

export const WhatIfListSchema = Type.Object({
  scenarios: Type.Array(
    Type.Object(
      {
        id: Type.String(),
        name: Type.String(),
        description: Type.Optional(Type.String()),
        policies: Type.Array(Type.String()),
      },
      { title: 'WhatIfScenarioSummary' },
    ),
  ),
});
