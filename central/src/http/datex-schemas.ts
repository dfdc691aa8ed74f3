import { type Static, type TSchema, Type } from '@sinclair/typebox';
import type { DatexParkingTablePublication } from '../core/datex-parking-table.js';
import type { DatexParkingStatusPublication } from '../core/datex-publication.js';
import { errorReply } from './response-schemas.js';

// Response schemas of the DATEX II routes (OpenAPI documents them; fastify serialises the JSON form with them).
// The XML form is the same publication, validated in the tests against the official DATEX II v3 schemas.

const Reference = <T extends string>(targetClass: T) =>
  Type.Object({ id: Type.String(), version: Type.String(), targetClass: Type.Literal(targetClass) });

const Head = {
  modelBaseVersion: Type.Literal('3'),
  publicationTime: Type.String({ format: 'date-time' }),
  publicationCreator: Type.Object({ country: Type.String(), nationalIdentifier: Type.String() }),
};

const RecordStatusBase = {
  parkingRecordReference: Reference('par:ParkingRecord'),
  parkingStatusOriginTime: Type.String({ format: 'date-time' }),
  parkingOccupancy: Type.Object({
    parkingNumberOfSpacesOverride: Type.Integer({ minimum: 0 }),
    parkingNumberOfVacantSpaces: Type.Integer({ minimum: 0 }),
    parkingNumberOfOccupiedSpaces: Type.Integer({ minimum: 0 }),
    parkingOccupancy: Type.Number({ minimum: 0, maximum: 100 }),
  }),
};

const Literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

export const DatexParkingStatusSchema = Type.Object(
  {
    ...Head,
    parkingStatusPublication: Type.Object({
      lang: Type.String(),
      parkingTableReference: Reference('par:ParkingTable'),
      parkingRecordStatus: Type.Array(
        Type.Union([
          Type.Object({
            type: Type.Literal('ParkingSiteStatus'),
            ...RecordStatusBase,
            parkingSiteStatus: Type.Optional(Literals(['spacesAvailable', 'almostFull', 'full', 'unknown'] as const)),
            parkingSiteOpeningStatus: Literals(['open', 'closed', 'statusUnknown'] as const),
          }),
          Type.Object({
            type: Type.Literal('GroupOfParkingSitesStatus'),
            ...RecordStatusBase,
            groupOfParkingSitesStatus: Type.Optional(
              Literals(['allParkingsFull', 'enoughSpacesAvailable', 'unknown'] as const),
            ),
          }),
        ]),
      ),
    }),
  },
  { title: 'DatexParkingStatusPublication' },
);

const RecordBase = {
  id: Type.String(),
  version: Type.String(),
  parkingName: Type.String(),
  parkingRecordVersionTime: Type.String({ format: 'date-time' }),
  parkingNumberOfSpaces: Type.Integer({ minimum: 0 }),
  parkingLocation: Type.Object({ latitude: Type.Number(), longitude: Type.Number() }),
};

export const DatexParkingTableSchema = Type.Object(
  {
    ...Head,
    parkingTablePublication: Type.Object({
      lang: Type.String(),
      parkingTable: Type.Array(
        Type.Object({
          id: Type.String(),
          version: Type.String(),
          parkingTableName: Type.String(),
          parkingTableVersionTime: Type.String({ format: 'date-time' }),
          parkingRecord: Type.Array(
            Type.Union([
              Type.Object({
                type: Type.Literal('UrbanParkingSite'),
                ...RecordBase,
                groupOfParkingSpaces: Type.Array(
                  Type.Object({
                    groupIndex: Type.Integer({ minimum: 1 }),
                    parkingSpaceOrGroupIdentifier: Type.String(),
                    parkingNumberOfSpaces: Type.Integer({ minimum: 0 }),
                    onlyAssignedParking: Type.Optional(
                      Type.Object({
                        applicableForUser: Type.Optional(Type.String()),
                        fuelType: Type.Optional(Type.String()),
                      }),
                    ),
                  }),
                ),
                urbanParkingSiteType: Type.Literal('offStreetParking'),
              }),
              Type.Object({
                type: Type.Literal('GroupOfParkingSites'),
                ...RecordBase,
                groupOfParkingSitesType: Type.Literal('aggregationOfInformation'),
                parkingSiteByReference: Type.Array(Reference('par:ParkingRecord')),
              }),
            ]),
          ),
        }),
      ),
    }),
  },
  { title: 'DatexParkingTablePublication' },
);

/** A 200 in JSON (`schema`) or DATEX II XML; for one site, 404 when there is no such site. */
export function datexResponses(schema: TSchema, isOneSite: boolean): Record<string, unknown> {
  return {
    200: {
      description: 'The publication: JSON by default, DATEX II v3 XML with `Accept: application/xml`',
      content: {
        'application/json': { schema },
        'application/xml': { schema: Type.String({ description: 'a DATEX II v3 d2:payload document' }) },
      },
    },
    ...(isOneSite ? { 404: errorReply(404, 'CB_SITE_UNKNOWN: no such site') } : {}),
  };
}

// The schemas and the core's types describe one shape: each must be assignable to the other.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const statusMatches: Same<Static<typeof DatexParkingStatusSchema>, DatexParkingStatusPublication> = true;
const tableMatches: Same<Static<typeof DatexParkingTableSchema>, DatexParkingTablePublication> = true;
void statusMatches;
void tableMatches;
