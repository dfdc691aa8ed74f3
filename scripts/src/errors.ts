import { defineErrors } from '@citybay/common';

/** Every error code this package publishes. A code, once published, is never reused for something else. */
export const ERROR_TABLE = {
  CB_START_PORT_TAKEN: { statusCode: 500, description: 'a port the demo needs is already in use' },
} as const;

export const errors = defineErrors(ERROR_TABLE);
