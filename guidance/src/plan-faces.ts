/**
 * The guidance policy: what every sign shows, from the counts, the reservations and directives in force and, where
 * known, the gate queues. Pure; its only state is the hysteresis memory the caller passes back in. The edge's sign
 * planner and the simulator's sign board both call {@link planFaces}, so the simulator evaluates the rule the Pi runs.
 */
import type {
  FaceLine,
  FallbackValue,
  GuidanceArea,
  GuidanceLine,
  GuidanceMemory,
  GuidanceSettings,
  GuidanceSign,
  GuidanceSituation,
  LineReason,
  PlannedFace,
} from './guidance-types.js';
import { PublicCounts } from './public-counts.js';

/** The key of an area in the hysteresis memory: lot, zone (`*` for the whole lot) and the sorted kinds. */
export function areaKey(area: GuidanceArea): string {
  return `${area.lotId}/${area.zoneId ?? '*'}/${[...area.kinds].sort().join('+')}`;
}

/** True when every bay `inner` counts is also counted by `outer` (same lot, zone within, kinds a subset). */
export function isWithin(inner: GuidanceArea, outer: GuidanceArea): boolean {
  if (inner.lotId !== outer.lotId) return false;
  if (outer.zoneId !== undefined && inner.zoneId !== outer.zoneId) return false;
  return inner.kinds.every((kind) => outer.kinds.includes(kind));
}

interface Decision {
  area: GuidanceArea;
  reason: Exclude<LineReason, 'override'>;
  publicFree: number;
}

function decide(
  area: GuidanceArea,
  key: string,
  counts: PublicCounts,
  situation: GuidanceSituation,
  settings: GuidanceSettings,
  memory: GuidanceMemory,
): Decision {
  const status =
    situation.statusOf?.(area.lotId, area.zoneId) ??
    (situation.closedByDefault?.has(area.lotId) ? 'closed' : undefined);
  if (status === 'closed') {
    memory.delete(key);
    return { area, reason: 'closed', publicFree: 0 };
  }
  if (status === 'full') {
    memory.add(key);
    return { area, reason: 'full-by-status', publicFree: 0 };
  }
  const numbers = counts.area(area);
  const unknownPct = numbers.total === 0 ? 100 : (100 * numbers.unknown) / numbers.total;
  if (numbers.isStale || unknownPct > settings.maxUnknownPct) {
    // Forget FULL: after the data returns, the area is judged afresh rather than from before the outage.
    memory.delete(key);
    return { area, reason: 'fallback', publicFree: 0 };
  }
  const publicFree = Math.max(0, numbers.publicFree);
  const isFull = memory.has(key) ? publicFree < settings.reopenAtFree : publicFree <= settings.fullAtFree;
  if (isFull) memory.add(key);
  else memory.delete(key);
  return { area, reason: isFull ? 'full' : 'count', publicFree };
}

/**
 * Signs must not contradict each other: a driver who reads FULL on one line and a count for the same bays on another
 * turns away from free bays. So an area FULL while an area within it shows free bays reopens: one kept FULL only by
 * its memory (it has more than `fullAtFree` public bays) shows its count; one an operator declared FULL while they
 * opened a zone of it shows the bays of the zones not shut by a status of their own or the lot's.
 */
function reconcile(
  decisions: Map<string, Decision>,
  counts: PublicCounts,
  situation: GuidanceSituation,
  settings: GuidanceSettings,
  memory: GuidanceMemory,
): void {
  for (const [key, outer] of decisions) {
    const byMemory = outer.reason === 'full' && outer.publicFree > settings.fullAtFree;
    if (!byMemory && outer.reason !== 'full-by-status') continue;
    const opensWithin = [...decisions.values()].some(
      (inner) => inner !== outer && inner.reason === 'count' && isWithin(inner.area, outer.area),
    );
    if (!opensWithin) continue;
    const publicFree = byMemory
      ? outer.publicFree
      : Math.max(0, counts.area(outer.area, (zoneId) => isShut(situation, outer.area.lotId, zoneId)).publicFree);
    decisions.set(key, { ...outer, reason: 'count', publicFree });
    memory.delete(key);
  }
}

function isShut(situation: GuidanceSituation, lotId: string, zoneId: string): boolean {
  const status = situation.statusOf?.(lotId, zoneId);
  return status === 'full' || status === 'closed';
}

function fallbackFace(value: FallbackValue, label: string, line: GuidanceLine): FaceLine {
  // Amber, not red: a fallback is "we do not know", distinct from a lot known to be full.
  return { label, arrow: line.arrow, value: typeof value === 'string' ? value : { text: value.text }, colour: 'amber' };
}

/** The fail-safe face of one line. */
export function fallbackLineOf(sign: GuidanceSign, line: GuidanceLine): FaceLine {
  return fallbackFace(line.fallback ?? sign.fallback, line.label, line);
}

function faceLineOf(sign: GuidanceSign, line: GuidanceLine, decision: Decision): FaceLine {
  const { label, arrow } = line;
  switch (decision.reason) {
    case 'closed':
      return { label, arrow, value: 'CLOSED', colour: 'red' };
    case 'full':
    case 'full-by-status':
      return { label, arrow, value: 'FULL', colour: 'red' };
    case 'fallback':
      return fallbackLineOf(sign, line);
    case 'count':
      return { label, arrow, value: decision.publicFree, colour: 'green' };
  }
}

/** The order a ranked sign shows its candidates in (indices into `sign.lines`), at most `maxLines`. */
function rankedOrder(
  sign: GuidanceSign & { ranked: { maxLines: number } },
  decisions: readonly Decision[],
  situation: GuidanceSituation,
): number[] {
  const waitS = (lotId: string) => {
    const queue = situation.gateQueues?.get(lotId);
    return queue && queue.serviceVehPerMin > 0 ? (queue.queueVeh * 60) / queue.serviceVehPerMin : 0;
  };
  const indices = sign.lines.map((_, i) => i);
  // Stable sorts: ties keep the candidates' order.
  const free = indices
    .filter((i) => decisions[i]!.reason === 'count')
    .map((i) => ({ i, costS: (sign.lines[i]!.driveS ?? 0) + waitS(sign.lines[i]!.lotId) }))
    .sort((a, b) => a.costS - b.costS)
    .map((x) => x.i);
  const others = indices
    .filter((i) => decisions[i]!.reason !== 'count')
    .sort((a, b) => (sign.lines[a]!.driveS ?? 0) - (sign.lines[b]!.driveS ?? 0));
  return [...free, ...others].slice(0, sign.ranked.maxLines);
}

/**
 * What every sign shows now. An operator's message replaces a whole sign while in force; otherwise each line shows
 * CLOSED, FULL (from an operator, or with hysteresis on the public free count), the public free count, or its
 * fail-safe when the data behind it is stale or too much of it unknown. Reservations are withheld once per lot
 * ({@link PublicCounts}), and the FULL memory is per area, so no two lines over the same bays disagree.
 */
export function planFaces(
  signs: readonly GuidanceSign[],
  situation: GuidanceSituation,
  settings: GuidanceSettings,
  memory: GuidanceMemory,
): PlannedFace[] {
  const counts = new PublicCounts(situation);
  const decisions = new Map<string, Decision>();
  const overrides = signs.map((sign) => situation.overrideOf?.(sign.id));
  signs.forEach((sign, s) => {
    if (overrides[s] && overrides[s].length > 0) return;
    for (const line of sign.lines) {
      const key = areaKey(line);
      if (!decisions.has(key)) decisions.set(key, decide(line, key, counts, situation, settings, memory));
    }
  });
  reconcile(decisions, counts, situation, settings, memory);
  return signs.map((sign, s) => {
    const override = overrides[s];
    if (override && override.length > 0) {
      const lines = override.slice(0, sign.ranked?.maxLines ?? sign.lines.length).map((line) => ({ ...line }));
      return {
        signId: sign.id,
        lines,
        areas: lines.map(() => undefined),
        reasons: lines.map(() => 'override' as const),
        isFallback: false,
      };
    }
    const ofLine = sign.lines.map((line) => decisions.get(areaKey(line))!);
    const order = sign.ranked
      ? rankedOrder({ ...sign, ranked: sign.ranked }, ofLine, situation)
      : ofLine.map((_, i) => i);
    const lines = order.map((i) => faceLineOf(sign, sign.lines[i]!, ofLine[i]!));
    const reasons = order.map((i) => ofLine[i]!.reason);
    return {
      signId: sign.id,
      lines,
      areas: order.map((i) => areaOf(sign.lines[i]!)),
      reasons,
      isFallback: reasons.includes('fallback'),
    };
  });
}

function areaOf(line: GuidanceLine): GuidanceArea {
  return line.zoneId === undefined
    ? { lotId: line.lotId, kinds: line.kinds }
    : { lotId: line.lotId, zoneId: line.zoneId, kinds: line.kinds };
}

/** Every line on its fail-safe: what the signs show when the planner cannot run (the edge stopping). */
export function planFallbackFaces(signs: readonly GuidanceSign[]): PlannedFace[] {
  return signs.map((sign) => {
    const shown = sign.ranked ? sign.lines.slice(0, sign.ranked.maxLines) : sign.lines;
    return {
      signId: sign.id,
      lines: shown.map((line) => fallbackLineOf(sign, line)),
      areas: shown.map(areaOf),
      reasons: shown.map(() => 'fallback' as const),
      isFallback: true,
    };
  });
}
