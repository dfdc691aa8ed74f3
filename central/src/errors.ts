import { defineErrors } from '@citybay/common';

/** Every error code this package publishes. A code, once published, is never reused for something else. */
export const ERROR_TABLE = {
  // Until 0.1 central used CB_CONFIG_INVALID, which the edge published in the same commit for its site file (the
  // meaning the house style documents) and keeps: one code, one meaning.
  CB_CENTRAL_CONFIG_INVALID: {
    statusCode: 400,
    description: "central's configuration (environment, settings, store or job options) is invalid",
  },
  CB_SITE_INVALID: { statusCode: 400, description: 'a site definition file is invalid' },
  CB_SITE_UNKNOWN: { statusCode: 404, description: 'no site with this id is known' },
  CB_LOT_UNKNOWN: { statusCode: 404, description: 'no lot with this id is known in the site' },
  CB_EDGE_UNKNOWN: { statusCode: 404, description: 'no edge with this id is known (admin operations)' },
  CB_EDGE_EXISTS: { statusCode: 409, description: 'an edge with this id already exists' },
  CB_SYNC_UNAUTHORIZED: { statusCode: 401, description: 'unknown edge, missing credentials or bad secret' },
  CB_SYNC_FORBIDDEN: { statusCode: 403, description: 'an edge sent data for a site that is not its own' },
  CB_SYNC_SEQ_JUMP: {
    statusCode: 409,
    description:
      'a summary seq is more than 2^32 past the highest central holds from the edge (the wire contract bound; nothing of that batch is stored)',
  },
  CB_SYNC_UNKNOWN_AREA: {
    statusCode: 400,
    description: 'a summary names a lot or zone the site does not have (nothing of that batch is stored)',
  },
  CB_HTTP_BAD_REQUEST: { statusCode: 400, description: 'a request is malformed (query, parameters or JSON body)' },
  CB_HTTP_UNAUTHORIZED: { statusCode: 401, description: 'an API key is missing or not valid for this API' },
  CB_HTTP_FORBIDDEN: {
    statusCode: 403,
    description: 'a valid API key acts on a site it is not limited to (the key lists other sites)',
  },
  CB_HTTP_NOT_FOUND: { statusCode: 404, description: 'no such route or resource' },
  CB_HTTP_TOO_LARGE: { statusCode: 413, description: 'the request body is larger than the configured limit' },
  CB_HTTP_UNSUPPORTED_MEDIA_TYPE: { statusCode: 415, description: 'the request has the wrong content type' },
  CB_HTTP_RATE_LIMITED: { statusCode: 429, description: 'too many requests from this client; retry later' },
  CB_HTTP_SHUTTING_DOWN: { statusCode: 503, description: 'central is shutting down; retry on another instance' },
  CB_HTTP_INTERNAL: { statusCode: 500, description: 'an unexpected server error (logged with the request id)' },
  CB_STORE_UNAVAILABLE: { statusCode: 503, description: 'the database cannot be reached' },
  CB_STORE_MIGRATION: {
    statusCode: 500,
    description: 'a database migration failed or the schema is newer than this build',
  },
  CB_APPOINTMENTS_CONFLICT: {
    statusCode: 409,
    description: 'the appointments of that day were changed concurrently; send the request again',
  },
  CB_APPOINTMENTS_UNAVAILABLE: { statusCode: 503, description: 'the allocator could not plan the day (see the log)' },
  CB_APPOINTMENTS_PAST: {
    statusCode: 422,
    description: 'a new or changed appointment still to be planned ended before now (refused per entry)',
  },
  CB_APPOINTMENTS_TOO_FAR: {
    statusCode: 422,
    description: 'a new or changed appointment starts further ahead than appointments are planned (731 days)',
  },
  CB_APPOINTMENTS_UNPLANNABLE: {
    statusCode: 422,
    description:
      'an appointment names an entrance no lot of the site walks to, or a bay kind that is never pre-assigned',
  },
  CB_SCENARIO_JOB_UNKNOWN: {
    statusCode: 404,
    description: 'no scenario job with this id (the store keeps the newest finished jobs, 100 by default)',
  },
  CB_SCENARIO_JOB_NOT_READY: {
    statusCode: 409,
    description: 'the scenario job has not finished yet (poll its status)',
  },
  CB_SCENARIO_JOB_FAILED: { statusCode: 422, description: 'the scenario job failed; its status says why' },
  CB_KEYS_INVALID: { statusCode: 400, description: 'the API keys file is invalid' },
  CB_CLI_USAGE: { statusCode: 400, description: 'the admin command line was used wrongly' },
} as const;

export const errors = defineErrors(ERROR_TABLE);
