import { errors } from '../errors.js';
import { BAY_KINDS } from '../model/index.js';
import type { AllocationDay } from './allocation-types.js';
import { firstSchemaError, type JsonSchema } from './json-schema-check.js';

// The JSON form of `AllocationDay` (what `citybay-sim allocate --day` reads): the library's own type, times in ms
// since the epoch and minutes after the day's midnight. `validateDay` then checks what refers to what.

const id: JsonSchema = { type: 'string', minLength: 1, maxLength: 200 };
const minute: JsonSchema = { type: 'number', minimum: 0, maximum: 10_080 };
const count: JsonSchema = { type: 'integer', minimum: 0 };
const seconds: JsonSchema = { type: 'number', minimum: 0 };
const ms: JsonSchema = { type: 'number', minimum: 0, maximum: 8.64e15 };
const kind: JsonSchema = { type: 'string', enum: BAY_KINDS };
const byKind: JsonSchema = {
  type: 'object',
  properties: Object.fromEntries(BAY_KINDS.map((k) => [k, count])),
  additionalProperties: false,
};
const object = (properties: Record<string, JsonSchema>, required: string[]): JsonSchema => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});
const list = (items: JsonSchema, maxItems = 100_000): JsonSchema => ({ type: 'array', items, maxItems });
const window = object({ fromMin: minute, toMin: minute }, ['fromMin', 'toMin']);

const APPOINTMENT = object(
  {
    id,
    startMs: ms,
    endMs: ms,
    status: {
      type: 'string',
      enum: [
        'proposed',
        'pending',
        'booked',
        'arrived',
        'fulfilled',
        'cancelled',
        'noshow',
        'checked-in',
        'waitlist',
        'entered-in-error',
      ],
    },
    entranceId: id,
    needs: object({ requiredKind: kind, preferredKinds: list(kind, 5) }, ['preferredKinds']),
    serviceType: { type: 'string', maxLength: 200 },
    originZoneId: id,
    participantRef: { type: 'string', maxLength: 200 },
  },
  ['id', 'startMs', 'endMs', 'status', 'entranceId', 'needs'],
);

const LOT = object(
  {
    id,
    name: { type: 'string', maxLength: 200 },
    entryEdgeId: { type: 'string', maxLength: 200 },
    zones: list(
      object({ id: { type: 'string', maxLength: 200 }, capacityByKind: byKind }, ['id', 'capacityByKind']),
      1000,
    ),
    gateServiceVehPerMin: { type: 'number', exclusiveMinimum: 0 },
    openingHours: list(window, 100),
    capacityWindows: list(
      object({ kind, capacityBays: count, fromMin: minute, toMin: minute }, [
        'kind',
        'capacityBays',
        'fromMin',
        'toMin',
      ]),
      1000,
    ),
    walkTimeSByEntrance: { type: 'object', maxProperties: 1000, additionalProperties: seconds },
    reserveByKind: byKind,
  },
  [
    'id',
    'name',
    'entryEdgeId',
    'zones',
    'gateServiceVehPerMin',
    'openingHours',
    'capacityWindows',
    'walkTimeSByEntrance',
    'reserveByKind',
  ],
);

const NETWORK = object(
  {
    nodes: list(object({ id, xM: { type: 'number' }, yM: { type: 'number' } }, ['id', 'xM', 'yM']), 1_000_000),
    edges: list(
      object(
        {
          id,
          fromNodeId: id,
          toNodeId: id,
          lengthM: { type: 'number', exclusiveMinimum: 0 },
          speedMps: { type: 'number', exclusiveMinimum: 0 },
          laneCount: { type: 'integer', minimum: 1 },
          priority: { type: 'number' },
          name: { type: 'string', maxLength: 200 },
        },
        ['id', 'fromNodeId', 'toNodeId', 'lengthM', 'speedMps', 'laneCount', 'priority'],
      ),
      1_000_000,
    ),
    connections: list(
      object(
        { fromEdgeId: id, toEdgeId: id, viaLengthM: seconds, viaSpeedMps: { type: 'number', exclusiveMinimum: 0 } },
        ['fromEdgeId', 'toEdgeId'],
      ),
      4_000_000,
    ),
  },
  ['nodes', 'edges', 'connections'],
);

/** The JSON schema of an allocation day. */
export const ALLOCATION_DAY_SCHEMA: JsonSchema = object(
  {
    dayStartMs: ms,
    appointments: list(APPOINTMENT),
    lots: list(LOT, 1000),
    network: NETWORK,
    originEdgeByZone: { type: 'object', maxProperties: 100_000, additionalProperties: id },
    driveTimeSByOrigin: {
      type: 'object',
      maxProperties: 100_000,
      additionalProperties: { type: 'object', maxProperties: 1000, additionalProperties: seconds },
    },
    travelTimeBands: list(
      object({ fromMin: minute, edgeCostS: list(seconds, 1_000_000) }, ['fromMin', 'edgeCostS']),
      96,
    ),
    occupancy: list(
      object(
        { lotId: id, zoneId: { type: 'string', maxLength: 200 }, kind, bays: count, fromMin: minute, untilMin: minute },
        ['lotId', 'kind', 'bays'],
      ),
    ),
    gatePassages: list(object({ lotId: id, atMin: minute, cars: count }, ['lotId', 'atMin', 'cars'])),
  },
  ['dayStartMs', 'appointments', 'lots'],
);

/** Checks a parsed day document's shape, throwing `CB_ALLOCATION_INVALID` naming `fileName` and the field. */
export function checkAllocationDay(value: unknown, fileName: string): AllocationDay {
  const error = firstSchemaError(ALLOCATION_DAY_SCHEMA, value);
  if (error !== undefined)
    throw errors.CB_ALLOCATION_INVALID(`${fileName}: ${error.path}: ${error.message}`, { path: error.path });
  return value as AllocationDay;
}
