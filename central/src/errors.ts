import { defineErrors } from '@citybay/common';

/** Every error code this package publishes. A code, once published, is never reused for something else. */
export const ERROR_TABLE = {
  CB_CONFIG_INVALID: { statusCode: 400, description: 'the central configuration is invalid' },
} as const;

export const errors = defineErrors(ERROR_TABLE);
