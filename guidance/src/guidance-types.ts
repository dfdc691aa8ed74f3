/**
 * What the guidance policy reads and what it decides. Plain data, so the edge (from its sensors and central's
 * directives) and the simulator (from its lots and drivers) can both describe a situation in these terms.
 */

/** Arrow glyphs a sign line can show (the set of `@citybay/firmware-bridge`'s `SignArrow`). */
export type FaceArrow =
  'none' | 'left' | 'right' | 'ahead' | 'ahead-left' | 'ahead-right' | 'down' | 'down-left' | 'down-right' | 'back';

export type FaceColour = 'amber' | 'green' | 'red' | 'white' | 'yellow';

/** What a line shows after its label and arrow: a free-bay count, FULL, CLOSED or free text. */
export type FaceValue = number | 'FULL' | 'CLOSED' | { text: string };

/** One line of a face, as a sign shows it (structurally `@citybay/firmware-bridge`'s `SignLine`). */
export interface FaceLine {
  label: string;
  arrow: FaceArrow;
  value: FaceValue;
  colour: FaceColour;
}

/** What a line shows when the data behind it cannot be trusted. */
export type FallbackValue = 'FULL' | 'CLOSED' | { text: string };

/** The bays a line counts: a lot, optionally one zone of it, and the bay kinds (names, e.g. `standard`). */
export interface GuidanceArea {
  lotId: string;
  /** One zone of the lot; absent: the whole lot. */
  zoneId?: string;
  /** Bay kinds counted; a line's count is their sum. */
  kinds: readonly string[];
}

/** One line a sign may show. */
export interface GuidanceLine extends GuidanceArea {
  label: string;
  arrow: FaceArrow;
  /** Shown when the data behind the line is stale; default the sign's {@link GuidanceSign.fallback}. */
  fallback?: FallbackValue;
  /** Drive time from the sign to the lot's gate, in s: ranks the lines of a ranked sign. Default 0. */
  driveS?: number;
}

export interface GuidanceSign {
  id: string;
  /** The sign's lines top first (a fixed sign), or the candidate lines (a ranked sign). */
  lines: readonly GuidanceLine[];
  /** Fail-safe of lines without their own. */
  fallback: FallbackValue;
  /**
   * A ranked sign shows at most `maxLines` of its candidate lines: those with free bays first, by drive time plus
   * the wait the gate queue implies, then the others by drive time. Absent: the lines are fixed, in their order.
   */
  ranked?: { maxLines: number };
}

export interface GuidanceSettings {
  /** A line shows FULL at this many public free bays or fewer. */
  fullAtFree: number;
  /** A line showing FULL shows a count again only from this many public free bays (hysteresis). */
  reopenAtFree: number;
  /** A line falls back when more than this share of its bays is unknown, in %. */
  maxUnknownPct: number;
}

/** The defaults a site file starts from (fullAtFree 0, reopenAtFree fullAtFree + 3, maxUnknownPct 25). */
export const DEFAULT_GUIDANCE_SETTINGS: GuidanceSettings = Object.freeze({
  fullAtFree: 0,
  reopenAtFree: 3,
  maxUnknownPct: 25,
});

export interface KindCounts {
  free: number;
  occupied: number;
  unknown: number;
}

/** Bay counts of one zone of a lot, per bay kind name. */
export interface ZoneCounts {
  lotId: string;
  zoneId: string;
  byKind: Readonly<Record<string, KindCounts>>;
}

/** A lot counted at its gates (entries minus exits): whole-lot lines of it show these counts, whatever their kinds. */
export interface GateLotCounts {
  lotId: string;
  free: number;
  occupied: number;
  unknown: number;
  total: number;
  /** The counters behind it are stale. */
  isStale: boolean;
}

/** A reservation in force: one bay withheld from the public, if the reservation can still be honoured. */
export interface GuidanceReservation {
  lotId: string;
  /** The zone it must be honoured in; absent: anywhere in the lot. */
  zoneId?: string;
  kind: string;
  /** A reservation of one named bay: that bay's zone and whether it is free now (an occupied bay holds nothing). */
  bay?: { zoneId: string; isFree: boolean };
}

export type AreaStatus = 'open' | 'full' | 'closed';

/** Cars waiting at a lot's entry gate, where a detector or the simulator knows it. */
export interface GateQueue {
  queueVeh: number;
  serviceVehPerMin: number;
}

/** Everything the policy reads at one instant. */
export interface GuidanceSituation {
  zones: readonly ZoneCounts[];
  gateLots?: readonly GateLotCounts[];
  /** Reservations valid now. */
  reservations: readonly GuidanceReservation[];
  /** Status an operator set for a lot or zone (the zone's own first, then the lot's); `undefined`: none. */
  statusOf?: (lotId: string, zoneId: string | undefined) => AreaStatus | undefined;
  /** Lots closed unless an operator opens them. */
  closedByDefault?: ReadonlySet<string>;
  /** An operator's whole-sign message in force, replacing the sign's own lines. */
  overrideOf?: (signId: string) => readonly FaceLine[] | undefined;
  /** Gate queues by lot id, where known. */
  gateQueues?: ReadonlyMap<string, GateQueue>;
}

/** Why a line shows what it shows. */
export type LineReason = 'count' | 'full' | 'full-by-status' | 'closed' | 'fallback' | 'override';

/** A decided face: the lines to show and, per line, the area behind it (absent for an operator's line). */
export interface PlannedFace {
  signId: string;
  lines: FaceLine[];
  areas: Array<GuidanceArea | undefined>;
  reasons: LineReason[];
  /** True when at least one line shows its fail-safe. */
  isFallback: boolean;
}

/**
 * The policy's only state: the areas currently showing FULL (hysteresis), by {@link areaKey}. The caller keeps it
 * between plans; an area, not a sign line, so every sign showing the same bays agrees.
 */
export type GuidanceMemory = Set<string>;
