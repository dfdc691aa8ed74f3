export type { BayChange, BayStateCode } from './bay-states.js';
export {
  applyBayChanges,
  BAY_STATE_FREE,
  BAY_STATE_OCCUPIED,
  BAY_STATE_UNKNOWN,
  decodeBayChanges,
  diffBayStates,
  encodeBayChanges,
  packBayStates,
  unpackBayStates,
} from './bay-states.js';
export { ERROR_TABLE, errors } from './errors.js';
export type { DecodeOptions } from './wire-codec.js';
export {
  DEFAULT_MAX_PAYLOAD_BYTES,
  decodeSyncRequest,
  decodeSyncResponse,
  encodeSyncRequest,
  encodeSyncResponse,
} from './wire-codec.js';
export * from './wire-types.js';
export type { WireIssue } from './wire-validation.js';
export {
  isValidSeq,
  MAX_BAYS_PER_SITE,
  MAX_SEQ_JUMP,
  MAX_SUMMARIES_PER_REQUEST,
  SEQ_LIMIT,
  validateSyncRequest,
  validateSyncResponse,
} from './wire-validation.js';
export type { ResolvedZoneChange, ZoneKindChange } from './zone-changes.js';
export { decodeZoneChanges, encodeZoneChanges, resolveZoneChanges } from './zone-changes.js';
