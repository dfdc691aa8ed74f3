/**
 * Guidance on the edge: describes the site (counts, reservations, central's directives) in the guidance policy's
 * terms and turns its faces into sign messages and wire faces. The rule itself is `@citybay/guidance`'s, the one the
 * simulator runs too. Pure; the only memory is which areas show FULL (hysteresis), passed back in by the caller.
 */
import type { SignArrow, SignColour, SignLine, SignMessage } from '@citybay/firmware-bridge';
import type { BayKindName } from '@citybay/common';
import {
  type AreaStatus as GuidanceAreaStatus,
  type GuidanceMemory as PolicyMemory,
  type GuidanceReservation,
  type GuidanceSign,
  type GuidanceSituation,
  type KindCounts,
  type PlannedFace,
  planFaces,
  planFallbackFaces,
} from '@citybay/guidance';
import {
  AreaStatus,
  Arrow,
  BAY_KIND_BY_NAME,
  BAY_STATE_FREE,
  type BayKind,
  bayKindName,
  Colour,
  LineMode,
  type SignFace,
  type SignLine as WireSignLine,
} from '@citybay/proto';
import type { GuidanceSettings } from '../config/site-config.js';
import type { SignConfig, SignLineConfig } from '../config/site-config-schema.js';
import type { ActiveDirectives } from './active-directives.js';
import type { SiteState } from './site-state.js';

/** Areas currently showing FULL: the hysteresis memory (`@citybay/guidance`'s, kept by the caller). */
export type GuidanceMemory = PolicyMemory;

export interface PlannedSign {
  signId: string;
  message: SignMessage;
  /** The same content as on the wire, for summaries. */
  face: SignFace;
  /** True when at least one line shows its fail-safe message. */
  isFallback: boolean;
}

export interface PlanInput {
  state: SiteState;
  directives: ActiveDirectives;
  signs: readonly SignConfig[];
  guidance: GuidanceSettings;
  memory: GuidanceMemory;
  /** Lots closed unless central opens them. */
  closedByDefault: ReadonlySet<string>;
}

/** What a line counts unless configured: the kinds the public may use. */
const DEFAULT_KINDS: readonly BayKindName[] = ['standard', 'family'];
const ALL_KINDS: ReadonlySet<BayKind> = new Set(Object.values(BAY_KIND_BY_NAME));

const ARROW_TO_WIRE: Record<string, Arrow> = {
  none: Arrow.ARROW_NONE,
  ahead: Arrow.ARROW_AHEAD,
  left: Arrow.ARROW_LEFT,
  right: Arrow.ARROW_RIGHT,
  'ahead-left': Arrow.ARROW_AHEAD_LEFT,
  'ahead-right': Arrow.ARROW_AHEAD_RIGHT,
  back: Arrow.ARROW_BACK,
};
const ARROW_FROM_WIRE = new Map<number, SignArrow>(
  Object.entries(ARROW_TO_WIRE).map(([name, value]) => [value, name as SignArrow]),
);
const COLOUR_TO_WIRE: Record<SignColour, Colour> = {
  green: Colour.COLOUR_GREEN,
  amber: Colour.COLOUR_AMBER,
  red: Colour.COLOUR_RED,
  white: Colour.COLOUR_WHITE,
  yellow: Colour.COLOUR_AMBER,
};
const COLOUR_FROM_WIRE: Record<number, SignColour> = {
  [Colour.COLOUR_DEFAULT]: 'amber',
  [Colour.COLOUR_GREEN]: 'green',
  [Colour.COLOUR_AMBER]: 'amber',
  [Colour.COLOUR_RED]: 'red',
  [Colour.COLOUR_WHITE]: 'white',
};

/** A sign line as sent in summaries. */
export function toWireLine(line: SignLine): WireSignLine {
  const wire: WireSignLine = {
    label: line.label,
    arrow: ARROW_TO_WIRE[line.arrow] ?? Arrow.ARROW_NONE,
    colour: COLOUR_TO_WIRE[line.colour],
  };
  if (typeof line.value === 'number') return { ...wire, mode: LineMode.LINE_MODE_COUNT, count: line.value };
  if (line.value === 'FULL') return { ...wire, mode: LineMode.LINE_MODE_FULL };
  if (line.value === 'CLOSED') return { ...wire, mode: LineMode.LINE_MODE_CLOSED };
  return line.value.text === ''
    ? { ...wire, mode: LineMode.LINE_MODE_BLANK }
    : { ...wire, mode: LineMode.LINE_MODE_TEXT, text: line.value.text };
}

/** An operator's line from central, as a sign line. */
export function fromWireLine(line: WireSignLine): SignLine {
  const base = {
    label: line.label ?? '',
    arrow: ARROW_FROM_WIRE.get(line.arrow ?? 0) ?? 'none',
    colour: COLOUR_FROM_WIRE[line.colour ?? 0] ?? 'amber',
  };
  switch (line.mode) {
    case LineMode.LINE_MODE_COUNT:
      return { ...base, value: line.count ?? 0 };
    case LineMode.LINE_MODE_FULL:
      return { ...base, value: 'FULL' };
    case LineMode.LINE_MODE_CLOSED:
      return { ...base, value: 'CLOSED' };
    case LineMode.LINE_MODE_TEXT:
      return { ...base, value: { text: line.text ?? '' } };
    default:
      return { ...base, value: { text: '' } };
  }
}

/** The fail-safe a line shows when none is configured: text signs `--`; register signs, which show no text, FULL. */
export function defaultFallback(sign: SignConfig): NonNullable<SignLineConfig['fallback']> {
  return sign.driver.type === 'modbus' ? 'FULL' : { text: '--' };
}

function guidanceSignOf(sign: SignConfig): GuidanceSign {
  return {
    id: sign.id,
    fallback: defaultFallback(sign),
    lines: sign.lines.map((line) => ({
      lotId: line.lot,
      ...(line.zone === undefined ? {} : { zoneId: line.zone }),
      kinds: line.kinds ?? DEFAULT_KINDS,
      label: line.label ?? line.lot,
      arrow: line.arrow,
      ...(line.fallback === undefined ? {} : { fallback: line.fallback }),
    })),
  };
}

const STATUS_NAME = new Map<AreaStatus, GuidanceAreaStatus>([
  [AreaStatus.AREA_STATUS_OPEN, 'open'],
  [AreaStatus.AREA_STATUS_FULL, 'full'],
  [AreaStatus.AREA_STATUS_CLOSED, 'closed'],
]);

/**
 * The site as the guidance policy reads it: counts per zone and kind, gate-counted lots, the reservations in force
 * (one naming a bay this site does not have holds nothing), central's lot statuses and sign messages.
 */
export function guidanceSituationOf(
  state: SiteState,
  directives: ActiveDirectives,
  closedByDefault: ReadonlySet<string>,
): GuidanceSituation {
  const zones = state
    .zoneCounts()
    .filter((zone) => zone.zoneId !== '')
    .map((zone) => {
      const byKind: Record<string, KindCounts> = {};
      for (const count of zone.kinds) {
        const name = bayKindName(count.kind);
        if (name) byKind[name] = { free: count.free, occupied: count.occupied, unknown: count.unknown };
      }
      return { lotId: zone.lotId, zoneId: zone.zoneId, byKind };
    });
  const gateLots = state.layout.gateLots.map((gateLot) => ({
    lotId: gateLot.lotId,
    ...state.areaCount(gateLot.lotId, undefined, ALL_KINDS),
  }));
  const states = state.bayStates();
  const reservations: GuidanceReservation[] = [];
  for (const r of directives.reservations) {
    const kind = bayKindName((r.kind ?? 0) as BayKind);
    if (!kind || !r.lotId) continue;
    const held: GuidanceReservation = { lotId: r.lotId, kind, ...(r.zoneId ? { zoneId: r.zoneId } : {}) };
    if (r.bayId) {
      const index = state.bayIndex(r.bayId);
      if (index === undefined) continue;
      held.bay = { zoneId: state.layout.bays[index]!.zoneId, isFree: states[index] === BAY_STATE_FREE };
    }
    reservations.push(held);
  }
  return {
    zones,
    gateLots,
    reservations,
    statusOf: (lotId, zoneId) => {
      const status = directives.areaStatus(lotId, zoneId);
      return status === undefined ? undefined : STATUS_NAME.get(status);
    },
    closedByDefault,
    overrideOf: (signId) => directives.signOverride(signId)?.map(fromWireLine),
  };
}

function plannedSignOf(face: PlannedFace): PlannedSign {
  const lines: SignLine[] = face.lines;
  return {
    signId: face.signId,
    message: { lines },
    face: { signId: face.signId, lines: lines.map(toWireLine), isFallback: face.isFallback },
    isFallback: face.isFallback,
  };
}
/**
 * What every sign should show now: the guidance policy (`@citybay/guidance`'s `planFaces`) applied to the site's
 * state and central's directives in force. An operator's message replaces the whole sign until it expires;
 * otherwise each line shows CLOSED, FULL (with hysteresis), the public free count, or its fallback when the data
 * behind it is stale.
 */
export function planSignMessages(input: PlanInput): PlannedSign[] {
  const situation = guidanceSituationOf(input.state, input.directives, input.closedByDefault);
  return planFaces(input.signs.map(guidanceSignOf), situation, input.guidance, input.memory).map(plannedSignOf);
}

/** Every line on its fail-safe message: what signs show when the edge stops. */
export function planFallbackMessages(signs: readonly SignConfig[]): PlannedSign[] {
  return planFallbackFaces(signs.map(guidanceSignOf)).map(plannedSignOf);
}
