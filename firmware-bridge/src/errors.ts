import { defineErrors } from '@citybay/common';

/** Every error code this package publishes. A code, once published, is never reused for something else. */
export const ERROR_TABLE = {
  CB_PROFILE_INVALID: { statusCode: 400, description: 'a device profile file does not match the schema' },
  CB_MODBUS_TIMEOUT: { statusCode: 504, description: 'a Modbus unit did not answer in time' },
  CB_MODBUS_EXCEPTION: { statusCode: 502, description: 'a Modbus unit answered with an exception code' },
  CB_MODBUS_CRC: { statusCode: 502, description: 'a Modbus RTU reply failed its CRC check' },
  CB_BUS_CLOSED: { statusCode: 503, description: 'the bus was closed or is reopening' },
  CB_MODBUS_QUARANTINED: {
    statusCode: 503,
    description: 'a Modbus unit stopped answering and is only probed with back-off; the request was not sent',
  },
  CB_MODBUS_BAD_REPLY: {
    statusCode: 502,
    description: 'a Modbus reply was malformed (wrong length, unit or function)',
  },
  CB_GPIO_UNAVAILABLE: { statusCode: 503, description: 'a GPIO chip, line or the watchdog is not available' },
  CB_SIGN_REJECTED: {
    statusCode: 422,
    description: 'a guidance sign refused a message (syntax, too long, unsupported)',
  },
  CB_SIGN_NO_ACK: { statusCode: 504, description: 'a guidance sign did not acknowledge a frame in time' },
} as const;

export const errors = defineErrors(ERROR_TABLE);
