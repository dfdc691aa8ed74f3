import { defineErrors } from '@citybay/common';

/** Every error code this package publishes. A code, once published, is never reused for something else. */
export const ERROR_TABLE = {
  CB_CONFIG_INVALID: { statusCode: 400, description: 'the site configuration file does not match the schema' },
  CB_OUTBOX_UNAVAILABLE: { statusCode: 503, description: 'the outbox database cannot be opened or written' },
  CB_OUTBOX_SEQ: { statusCode: 500, description: 'a summary appended to the outbox does not follow its last seq' },
  CB_OUTBOX_SEQ_LIMIT: {
    statusCode: 409,
    description:
      'appending or renumbering would number a summary at or past the wire contract bound 2^48; nothing was changed',
  },
  CB_SYNC_REJECTED: {
    statusCode: 502,
    description: 'central refused a sync request (bad payload, unknown edge, wrong site); the batch is kept',
  },
  CB_SYNC_UNREACHABLE: { statusCode: 503, description: 'central could not be reached or answered with a server error' },
  CB_SYNC_BAD_RESPONSE: {
    statusCode: 502,
    description: 'central answered with something that is not a valid SyncResponse',
  },
  CB_LOCAL_BAD_REQUEST: {
    statusCode: 400,
    description: 'a request to the local HTTP endpoint has a body that is not JSON, too large, or a bad field',
  },
  CB_LOCAL_LOT_NOT_GATE_COUNTED: {
    statusCode: 404,
    description: 'an operator count names a lot that is not a gate-counted lot of this site',
  },
  CB_LOCAL_NOT_FOUND: { statusCode: 404, description: 'no such route on the local HTTP endpoint' },
  CB_LOCAL_INTERNAL: { statusCode: 500, description: 'the local HTTP endpoint failed unexpectedly (see the log)' },
} as const;

export const errors = defineErrors(ERROR_TABLE);
