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
} as const;

export const errors = defineErrors(ERROR_TABLE);
