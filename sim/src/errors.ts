import { defineErrors } from '@citybay/common';

/** Every error code this package publishes. A code, once published, is never reused for something else. */
export const ERROR_TABLE = {
  CB_SCENARIO_INVALID: { statusCode: 400, description: 'a scenario file does not match the schema' },
} as const;

export const errors = defineErrors(ERROR_TABLE);
