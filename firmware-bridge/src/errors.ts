import { defineErrors } from '@citybay/common';

/** Every error code this package publishes. A code, once published, is never reused for something else. */
export const ERROR_TABLE = {
  CB_PROFILE_INVALID: { statusCode: 400, description: 'a device profile file does not match the schema' },
  CB_MODBUS_TIMEOUT: { statusCode: 504, description: 'a Modbus unit did not answer in time' },
  CB_MODBUS_EXCEPTION: { statusCode: 502, description: 'a Modbus unit answered with an exception code' },
  CB_MODBUS_CRC: { statusCode: 502, description: 'a Modbus RTU reply failed its CRC check' },
  CB_BUS_CLOSED: { statusCode: 503, description: 'the bus was closed or is reopening' },
} as const;

export const errors = defineErrors(ERROR_TABLE);
