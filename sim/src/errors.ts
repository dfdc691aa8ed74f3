import { defineErrors } from '@citybay/common';

/** Every error code this package publishes. A code, once published, is never reused for something else. */
export const ERROR_TABLE = {
  CB_SCENARIO_INVALID: { statusCode: 400, description: 'a scenario file does not match the schema' },
  CB_LOTS_INVALID: { statusCode: 400, description: 'a lots file does not match the schema' },
  CB_NETWORK_INVALID: { statusCode: 400, description: 'a road network file (SUMO .net.xml or JSON/YAML) is invalid' },
  CB_DEMAND_INVALID: {
    statusCode: 400,
    description: 'demand settings or trips refer to something that does not exist',
  },
  CB_SIM_UNROUTABLE: { statusCode: 422, description: 'a trip has no path from its origin to its destination' },
  CB_APPOINTMENT_INVALID: {
    statusCode: 400,
    description: 'an appointment (FHIR R4, plain JSON or CSV) is missing or has a bad field',
  },
  CB_SUMO_ROUTES_INVALID: {
    statusCode: 400,
    description:
      'a SUMO route file (.rou.xml: vType, route, vehicle, trip, flow, stop) has a bad or unsupported element',
  },
  CB_SUMO_ADDITIONAL_INVALID: {
    statusCode: 400,
    description: 'a SUMO additional file has a bad parkingArea (lane, positions, capacity, citybay params)',
  },
  CB_SUMO_OUTPUT_INVALID: {
    statusCode: 400,
    description: 'a SUMO output file (tripinfo, stop output) read for a comparison is not well-formed XML',
  },
  CB_ALLOCATION_INVALID: {
    statusCode: 400,
    description: 'an allocation day (lots, appointments, occupancy, gate passages) or event is inconsistent',
  },
  CB_QUEUE_CONFIG_INVALID: {
    statusCode: 400,
    description: 'a sweep queue setting (database URL, schema, threads, timeouts) is invalid',
  },
  CB_SWEEP_UNKNOWN: { statusCode: 404, description: 'no queued sweep has this id' },
  CB_SWEEP_FAILED: {
    statusCode: 422,
    description: 'a queued sweep failed (a run failed; its error names the run) or was cancelled',
  },
} as const;

export const errors = defineErrors(ERROR_TABLE);
