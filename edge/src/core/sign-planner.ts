/**
 * Guidance: turns counts and central's directives into what each sign shows. Pure; the only memory is
 * which lines are FULL (hysteresis), kept in a {@link GuidanceMemory} the caller passes back in.
 */
import type { SignArrow, SignColour, SignLine, SignMessage } from '@citybay/firmware-bridge';
import {
  AreaStatus,
  Arrow,
  BAY_KIND_BY_NAME,
  BAY_STATE_FREE,
  type BayKind,
  Colour,
  LineMode,
  type SignFace,
  type SignLine as WireSignLine,
} from '@citybay/proto';
import type { GuidanceSettings } from '../config/site-config.js';
import type { SignConfig, SignLineConfig } from '../config/site-config-schema.js';
import type { ActiveDirectives } from './active-directives.js';
import type { SiteState } from './site-state.js';

/** Lines currently showing FULL, by `signId#line`: the hysteresis memory. */
export type GuidanceMemory = Set<string>;

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

const DEFAULT_KINDS: ReadonlySet<BayKind> = new Set([BAY_KIND_BY_NAME.standard, BAY_KIND_BY_NAME.family]);

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

// Amber, not red: a fallback is "we do not know", distinct from a lot known to be full.
function fallbackLine(sign: SignConfig, config: SignLineConfig, label: string, arrow: SignArrow): SignLine {
  const fallback = config.fallback ?? defaultFallback(sign);
  if (fallback === 'FULL' || fallback === 'CLOSED') return { label, arrow, value: fallback, colour: 'amber' };
  return { label, arrow, value: { text: fallback.text }, colour: 'amber' };
}

function kindsOf(config: SignLineConfig): ReadonlySet<BayKind> {
  return config.kinds ? new Set(config.kinds.map((k) => BAY_KIND_BY_NAME[k])) : DEFAULT_KINDS;
}

/** Free bays offered to the public: free ones minus those held for reservations (a reserved bay already occupied holds nothing). */
function publicFree(input: PlanInput, config: SignLineConfig, kinds: ReadonlySet<BayKind>, free: number): number {
  const states = input.state.bayStates();
  let held = 0;
  for (const reservation of input.directives.reservedIn(config.lot, config.zone, kinds)) {
    if (reservation.bayId) {
      const index = input.state.bayIndex(reservation.bayId);
      if (index !== undefined && states[index] === BAY_STATE_FREE) held++;
    } else {
      held++;
    }
  }
  return Math.max(0, free - held);
}

function planLine(
  input: PlanInput,
  sign: SignConfig,
  config: SignLineConfig,
  i: number,
): { line: SignLine; isFallback: boolean } {
  const label = config.label ?? config.lot;
  const arrow = config.arrow;
  const key = `${sign.id}#${i}`;
  const status =
    input.directives.areaStatus(config.lot, config.zone) ??
    (input.closedByDefault.has(config.lot) ? AreaStatus.AREA_STATUS_CLOSED : undefined);
  if (status === AreaStatus.AREA_STATUS_CLOSED) {
    input.memory.delete(key);
    return { line: { label, arrow, value: 'CLOSED', colour: 'red' }, isFallback: false };
  }
  if (status === AreaStatus.AREA_STATUS_FULL) {
    input.memory.add(key);
    return { line: { label, arrow, value: 'FULL', colour: 'red' }, isFallback: false };
  }
  const kinds = kindsOf(config);
  const area = input.state.areaCount(config.lot, config.zone, kinds);
  const unknownPct = area.total === 0 ? 100 : (100 * area.unknown) / area.total;
  if (area.isStale || unknownPct > input.guidance.maxUnknownPct) {
    // Forget FULL: after the data returns, the line is judged afresh rather than from before the outage.
    input.memory.delete(key);
    return { line: fallbackLine(sign, config, label, arrow), isFallback: true };
  }
  const free = publicFree(input, config, kinds, area.free);
  const wasFull = input.memory.has(key);
  const isFull = wasFull ? free < input.guidance.reopenAtFree : free <= input.guidance.fullAtFree;
  if (isFull) {
    input.memory.add(key);
    return { line: { label, arrow, value: 'FULL', colour: 'red' }, isFallback: false };
  }
  input.memory.delete(key);
  return { line: { label, arrow, value: free, colour: 'green' }, isFallback: false };
}

/**
 * What every sign should show now. An operator's override from central replaces the whole sign
 * until it expires; otherwise each line shows CLOSED, FULL (with hysteresis), the public free count,
 * or its fallback when the data behind it is stale.
 */
export function planSignMessages(input: PlanInput): PlannedSign[] {
  return input.signs.map((sign) => {
    const override = input.directives.signOverride(sign.id);
    if (override && override.length > 0) {
      const lines = override.slice(0, sign.lines.length).map(fromWireLine);
      return {
        signId: sign.id,
        message: { lines },
        face: { signId: sign.id, lines: lines.map(toWireLine), isFallback: false },
        isFallback: false,
      };
    }
    const planned = sign.lines.map((line, i) => planLine(input, sign, line, i));
    const isFallback = planned.some((p) => p.isFallback);
    const lines = planned.map((p) => p.line);
    return {
      signId: sign.id,
      message: { lines },
      face: { signId: sign.id, lines: lines.map(toWireLine), isFallback },
      isFallback,
    };
  });
}

/** Every line on its fail-safe message: what signs show when the edge stops. */
export function planFallbackMessages(signs: readonly SignConfig[]): PlannedSign[] {
  return signs.map((sign) => {
    const lines = sign.lines.map((line) => fallbackLine(sign, line, line.label ?? line.lot, line.arrow));
    return {
      signId: sign.id,
      message: { lines },
      face: { signId: sign.id, lines: lines.map(toWireLine), isFallback: true },
      isFallback: true,
    };
  });
}
