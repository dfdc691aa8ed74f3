import { defineErrors } from '@citybay/common';

/** Every error code this package publishes. A code, once published, is never reused for something else. */
export const ERROR_TABLE = {
  CB_START_PORT_TAKEN: { statusCode: 500, description: 'a port the demo needs is already in use' },
  CB_START_DEPENDENCY_MISSING: {
    statusCode: 500,
    description: 'something the demo needs (a build, a program, a package export) is missing',
  },
  CB_START_CHILD_FAILED: { statusCode: 500, description: 'a process of the demo stack exited or did not get ready' },
  CB_DISTRICT_INVALID: { statusCode: 400, description: 'the district description is malformed or inconsistent' },
  CB_TWIN_INVALID: { statusCode: 400, description: 'the twin layout or its options are malformed' },
  CB_PROVISION_MISSING: {
    statusCode: 500,
    description: 'a tool or the PostgreSQL test database the tests need is missing and was not installed',
  },
} as const;

export const errors = defineErrors(ERROR_TABLE);
