import { BAY_KINDS } from '../model/index.js';
import { ALLOCATABLE_KINDS } from './allocation-types.js';
import type { JsonSchema } from './json-schema-check.js';

// The one schema of the allocation options (units and defaults in each description). `checkAllocationOptions`
// checks it for allocate(), the CLI's options.json, the scenario file's `allocation:` block and central's
// configuration alike; central's OpenAPI document shows it. README tables are written from the same text.

const secondsAtLeast0 = (description: string): JsonSchema => ({ type: 'number', minimum: 0, description });
const minutes = (description: string, maximum = 1440): JsonSchema => ({
  type: 'number',
  minimum: 0,
  maximum,
  description,
});
const byKind = (description: string, keys: readonly string[]): JsonSchema => ({
  type: 'object',
  description,
  properties: Object.fromEntries(keys.map((k) => [k, { type: 'number', minimum: 0 } satisfies JsonSchema])),
  additionalProperties: false,
});

export const ARRIVAL_SHIFT_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'How far an appointment’s arrival may be moved.',
  properties: {
    earlierMin: minutes(
      'Most minutes the car may be asked to arrive earlier than start − arrivalLeadMin. Default 0.',
      240,
    ),
    laterMin: minutes('Most minutes later (a shorter lead; at most arrivalLeadMin). Default 0.', 240),
    stepMin: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 240,
      description: 'Arrival shifts tried, in steps of this many minutes. Default slotMin.',
    },
    rescheduleMin: {
      type: 'array',
      maxItems: 8,
      items: { type: 'integer', minimum: -720, maximum: 720 },
      description:
        'Offsets (minutes, e.g. [-60, 60]) the appointment itself may be moved by, as a suggestion to the hospital: a separate, costlier lever. Default none.',
    },
  },
  additionalProperties: false,
};

export const ALLOCATION_OPTIONS_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'Every cost and limit of the bay allocator (allocate(day, options)).',
  properties: {
    slotMin: {
      type: 'integer',
      minimum: 1,
      maximum: 120,
      description: 'Gate slot (min): gate throughput is planned per slot; must divide a day. Default 15.',
    },
    arrivalWindowMin: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 120,
      description: 'Length of the arrival window each driver is given (min). Default slotMin.',
    },
    arrivalLeadMin: minutes(
      'How long before the appointment start the car should reach the lot (min). Default 30.',
      240,
    ),
    exitBufferMin: minutes('How long the bay stays held after the appointment end (min). Default 15.', 240),
    gateUtilisation: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 1,
      description: 'Share of a gate’s service rate the plan may fill, so entrances keep slack. Default 0.85.',
    },
    unplacedPenaltyS: secondsAtLeast0(
      'Cost of the wait-list outcome: a car given no bay and no alternative (s). Default 7200.',
    ),
    fallbackPenaltySByKind: byKind(
      'Cost of not getting the first preferred kind, by that kind (s); a later preferred kind costs half. Default { standard: 0, accessible: 1800, family: 600, ev: 900 }.',
      BAY_KINDS,
    ),
    walkWeightByNeed: byKind(
      'Weight on walking (and shuttle) seconds by the car’s need, the largest that applies. Default { none: 1, standard: 1, accessible: 3, family: 1.5, ev: 1 }.',
      ['none', ...ALLOCATABLE_KINDS],
    ),
    defaultDriveTimeS: secondsAtLeast0('Drive time used when an origin is unknown (s). Default 900.'),
    driveTimeSByOrigin: {
      type: 'object',
      description:
        'Drive times (s) from origin zone to lot id; each entry wins over the day’s own table. Default none.',
      maxProperties: 10_000,
      additionalProperties: {
        type: 'object',
        maxProperties: 1000,
        additionalProperties: { type: 'number', minimum: 0 },
      },
    },
    arrivalShift: {
      ...ARRIVAL_SHIFT_SCHEMA,
      description: 'Arrival shifts allowed for every appointment. Default none.',
    },
    arrivalShiftByServiceType: {
      type: 'object',
      maxProperties: 1000,
      description: 'Arrival shifts by clinic (the appointment’s serviceType), instead of arrivalShift.',
      additionalProperties: ARRIVAL_SHIFT_SCHEMA,
    },
    arrivalShiftByAppointment: {
      type: 'object',
      maxProperties: 100_000,
      description: 'Arrival shifts by appointment id, instead of the clinic’s or the default.',
      additionalProperties: ARRIVAL_SHIFT_SCHEMA,
    },
    shiftPenaltySPerMin: secondsAtLeast0(
      'Cost of each minute a car is asked to arrive earlier or later (s/min). Default 60.',
    ),
    reschedulePenaltyS: secondsAtLeast0('Cost of suggesting another appointment time at all (s). Default 3600.'),
    reschedulePenaltySPerMin: secondsAtLeast0(
      'Cost of each minute the suggested time moves the appointment (s/min). Default 60.',
    ),
    parkAndRide: {
      type: 'array',
      maxItems: 100,
      description:
        'Lots of the day that are park-and-ride lots: the patient takes a shuttle to the hospital. Default none.',
      items: {
        type: 'object',
        required: ['lotId'],
        additionalProperties: false,
        properties: {
          lotId: { type: 'string', minLength: 1, maxLength: 64, description: 'A lot of the day.' },
          shuttleRideS: secondsAtLeast0('Shuttle ride to the hospital (s). Default 600.'),
          shuttleHeadwayS: secondsAtLeast0('Time between shuttles (s); a patient waits half of it. Default 600.'),
          penaltyS: secondsAtLeast0(
            'Cost of sending a car to this lot beyond its drive, shuttle and walk (s). Default 900.',
          ),
        },
      },
    },
    dropOff: {
      type: 'object',
      additionalProperties: false,
      description:
        'Drop-off advice (a companion drops the patient at the entrance and drives on). Default not offered.',
      properties: {
        penaltyS: secondsAtLeast0('Cost of advising a drop-off (s). Default 2400.'),
        vehPerMin: {
          type: 'number',
          exclusiveMinimum: 0,
          description: 'Drop-offs the entrance kerb takes per minute (× gateUtilisation per slot). Default unlimited.',
        },
      },
    },
    priceIterations: {
      type: 'integer',
      minimum: 0,
      maximum: 100_000,
      description:
        "Lagrangian price rounds. Default 120. On full days (> 2,000 options) up to 120 more when the plan's own duality gap is above 0.5 %, until it is within 0.45 % (before the polish on days whose gates bind hard).",
    },
    stopGapPct: {
      type: 'number',
      minimum: 0,
      maximum: 100,
      description: 'Stop improving once the plan is proven within this many percent of the optimum. Default 0.05.',
    },
    exactSearchNodes: {
      type: 'integer',
      minimum: 0,
      description:
        'Branch-and-bound nodes on small days (≤ 2,000 options), which then come out proven optimal. Default 2,000,000.',
    },
    includeRoutes: {
      type: 'boolean',
      description: 'Include each assignment’s route when a network is given. Default true.',
    },
  },
  additionalProperties: false,
};
