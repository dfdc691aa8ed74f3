import { isCitybayError } from '@citybay/common';
import { errors } from '../errors.js';

/** The JSON body of every error central answers with. */
export interface ErrorReply {
  statusCode: number;
  code: string;
  message: string;
  path?: string;
}

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message?: string;
  validation?: Array<{ instancePath?: string; message?: string; params?: Record<string, unknown> }>;
  validationContext?: string;
}

// Fastify's own errors, by code, mapped onto ours so clients see one vocabulary.
const FASTIFY_CODES: Record<string, keyof typeof errors> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'CB_HTTP_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'CB_HTTP_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'CB_HTTP_BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'CB_HTTP_BAD_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'CB_HTTP_BAD_REQUEST',
};

/** Maps any error reaching the HTTP layer to the JSON error shape; unknown errors become a 500. */
export function toErrorReply(err: unknown): ErrorReply {
  if (isCitybayError(err)) {
    return {
      statusCode: err.statusCode,
      code: err.code,
      message: err.message,
      ...(err.path === undefined ? {} : { path: err.path }),
    };
  }
  const e = (err ?? {}) as FastifyLikeError;
  if (e.validation && e.validation.length > 0) {
    const first = e.validation[0]!;
    const missing = first.params?.missingProperty;
    const pointer = `${first.instancePath ?? ''}${missing ? `/${String(missing)}` : ''}`;
    const path = `${e.validationContext ?? 'body'}${pointer.replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.')}`;
    return { statusCode: 400, code: 'CB_HTTP_BAD_REQUEST', message: `${path}: ${first.message ?? 'is invalid'}`, path };
  }
  const mapped = e.code ? FASTIFY_CODES[e.code] : undefined;
  if (mapped) {
    const error = errors[mapped](e.message ?? mapped);
    return { statusCode: error.statusCode, code: error.code, message: error.message };
  }
  const status = e.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code =
      status === 404
        ? 'CB_HTTP_NOT_FOUND'
        : status === 415
          ? 'CB_HTTP_UNSUPPORTED_MEDIA_TYPE'
          : status === 413
            ? 'CB_HTTP_TOO_LARGE'
            : status === 429
              ? 'CB_HTTP_RATE_LIMITED'
              : 'CB_HTTP_BAD_REQUEST';
    return { statusCode: status, code, message: e.message ?? code };
  }
  return {
    statusCode: 500,
    code: 'CB_HTTP_INTERNAL',
    message: 'internal error (see the server log for this request id)',
  };
}
