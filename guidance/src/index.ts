export { lineDriverFollows } from './driver-reading.js';
export { type Contradiction, findContradictions, type LinePlace } from './contradictions.js';
export {
  type AreaStatus,
  DEFAULT_GUIDANCE_SETTINGS,
  type FaceArrow,
  type FaceColour,
  type FaceLine,
  type FaceValue,
  type FallbackValue,
  type GateLotCounts,
  type GateQueue,
  type GuidanceArea,
  type GuidanceLine,
  type GuidanceMemory,
  type GuidanceReservation,
  type GuidanceSettings,
  type GuidanceSign,
  type GuidanceSituation,
  type KindCounts,
  type LineReason,
  type PlannedFace,
  type ZoneCounts,
} from './guidance-types.js';
export { areaKey, fallbackLineOf, isWithin, planFaces, planFallbackFaces } from './plan-faces.js';
export { type AreaNumbers, PublicCounts } from './public-counts.js';
