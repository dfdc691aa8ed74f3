import { defineErrors } from '@citybay/common';

/** Every error code this package publishes. A code, once published, is never reused for something else. */
export const ERROR_TABLE = {
  CB_WIRE_INVALID: { statusCode: 400, description: 'a protobuf payload could not be decoded or failed validation' },
  CB_WIRE_TOO_LARGE: { statusCode: 413, description: 'a protobuf payload is larger than the allowed maximum' },
} as const;

export const errors = defineErrors(ERROR_TABLE);
