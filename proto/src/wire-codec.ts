import './long-as-number.js';
import { citybay } from '@citybay/proto/gen';
import { errors } from './errors.js';
import type { SyncRequest, SyncResponse } from './wire-types.js';
import { validateSyncRequest, validateSyncResponse, type WireIssue } from './wire-validation.js';

/** Default largest payload accepted by the decoders (bytes): a 5,000-bay snapshot is about 1.3 kB. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;

export interface DecodeOptions {
  /** Payloads longer than this are refused with `CB_WIRE_TOO_LARGE`. Default {@link DEFAULT_MAX_PAYLOAD_BYTES}. */
  maxBytes?: number;
}

const { SyncRequest: SyncRequestMessage, SyncResponse: SyncResponseMessage } = citybay.v1;

function invalid(what: string, issues: WireIssue[]): Error {
  const first = issues[0]!;
  const more =
    issues.length > 1
      ? ` (and ${issues.length - 1} more: ${issues
          .slice(1, 4)
          .map((i) => i.path)
          .join(', ')})`
      : '';
  return errors.CB_WIRE_INVALID(`${what}: ${first.path}: ${first.message}${more}`, { path: first.path });
}

function decodeWith<T>(what: string, bytes: Uint8Array, options: DecodeOptions, decode: (b: Uint8Array) => T): T {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  if (bytes.length > maxBytes) {
    throw errors.CB_WIRE_TOO_LARGE(`${what}: ${bytes.length} bytes, at most ${maxBytes}`);
  }
  try {
    return decode(bytes);
  } catch (cause) {
    // protobufjs throws RangeError for truncation and Error for bad wire types or invalid UTF-8.
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw errors.CB_WIRE_INVALID(`${what}: not a valid protobuf message (${reason})`, { cause });
  }
}

// Defaults filled in: a decoded message is complete, so readers never meet a missing count.
const toPlain = { longs: Number, enums: Number, bytes: Uint8Array, defaults: true, arrays: true } as const;

/** Validates and encodes a sync request. Throws `CB_WIRE_INVALID` naming the bad field. */
export function encodeSyncRequest(request: SyncRequest): Uint8Array {
  const issues = validateSyncRequest(request);
  if (issues.length > 0) throw invalid('SyncRequest', issues);
  return SyncRequestMessage.encode(request).finish();
}

/**
 * Decodes and validates a sync request from untrusted bytes: either a complete, valid request or a
 * `CB_WIRE_INVALID` / `CB_WIRE_TOO_LARGE` error; never a half-filled object. Summaries that left
 * `siteId`/`edgeId` empty get the request's.
 */
export function decodeSyncRequest(bytes: Uint8Array, options: DecodeOptions = {}): SyncRequest {
  const request = decodeWith('SyncRequest', bytes, options, (b) =>
    SyncRequestMessage.toObject(SyncRequestMessage.decode(b), toPlain),
  ) as SyncRequest;
  const issues = validateSyncRequest(request);
  if (issues.length > 0) throw invalid('SyncRequest', issues);
  for (const summary of request.summaries ?? []) {
    summary.siteId ||= request.siteId ?? '';
    summary.edgeId ||= request.edgeId ?? '';
  }
  return request;
}

export function encodeSyncResponse(response: SyncResponse): Uint8Array {
  const issues = validateSyncResponse(response);
  if (issues.length > 0) throw invalid('SyncResponse', issues);
  return SyncResponseMessage.encode(response).finish();
}

export function decodeSyncResponse(bytes: Uint8Array, options: DecodeOptions = {}): SyncResponse {
  const response = decodeWith('SyncResponse', bytes, options, (b) =>
    SyncResponseMessage.toObject(SyncResponseMessage.decode(b), toPlain),
  ) as SyncResponse;
  const issues = validateSyncResponse(response);
  if (issues.length > 0) throw invalid('SyncResponse', issues);
  return response;
}
