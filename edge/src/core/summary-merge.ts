/**
 * Compaction: merges consecutive summaries into one coarser summary that leads to the same state.
 * Used by the outbox when it is full, so that old data is thinned, never dropped. Pure.
 */
import {
  applyBayChanges,
  type BayChange,
  type BayStateCode,
  decodeBayChanges,
  decodeZoneChanges,
  encodeBayChanges,
  encodeZoneChanges,
  packBayStates,
  type SiteSummary,
  unpackBayStates,
  type ZoneCounts,
  type ZoneKindChange,
} from '@citybay/proto';

function overlay<T>(target: Map<string, T>, items: readonly T[] | null | undefined, keyOf: (item: T) => string): void {
  for (const item of items ?? []) target.set(keyOf(item), item);
}

/** True when `b` can be merged after `a` (same bay numbering). */
export function canMerge(a: SiteSummary, b: SiteSummary): boolean {
  return (a.configVersion ?? '') === (b.configVersion ?? '') && (a.bays?.bayCount ?? 0) === (b.bays?.bayCount ?? 0);
}

/**
 * Merges summaries given in seq order (each one relative to the one before) into one: it keeps the
 * last seq, covers the whole window, counts the summaries it stands for in `compactedCount` and names
 * the first seq it stands for in `mergedFromSeq` (so central knows the seqs in between never come).
 */
export function mergeSummaries(list: readonly SiteSummary[]): SiteSummary {
  const first = list[0];
  const last = list[list.length - 1];
  if (!first || !last) throw new RangeError('mergeSummaries needs at least one summary');
  if (list.length === 1) return first;
  let start = 0;
  for (let i = list.length - 1; i >= 0; i--) {
    if (list[i]!.isSnapshot) {
      start = i;
      break;
    }
  }
  const isSnapshot = list[start]!.isSnapshot === true;
  // Before the last snapshot everything is superseded by it, except the count of what was merged.
  const relevant = isSnapshot ? list.slice(start) : list;
  const gates = new Map();
  const devices = new Map();
  const signs = new Map();
  const zoneChanges = new Map<string, ZoneKindChange>();
  for (const s of relevant) {
    for (const c of decodeZoneChanges(s.zoneChanges ?? [])) zoneChanges.set(`${c.zoneIndex}/${c.kind}`, c);
    overlay(gates, s.gates, (g) => `${g.lotId}/${g.gateId ?? ''}`);
    overlay(devices, s.devices, (d) => d.deviceId ?? '');
    overlay(signs, s.signs, (f) => f.signId ?? '');
  }
  let zones: ZoneCounts[] = [];
  if (isSnapshot) {
    zones = (relevant[0]!.zones ?? []).map((z) => ({ ...z, kinds: (z.kinds ?? []).map((k) => ({ ...k })) }));
    for (const c of zoneChanges.values()) {
      const zone = zones[c.zoneIndex];
      if (!zone) continue;
      const { zoneIndex: _, ...counts } = c;
      const kinds = zone.kinds ?? [];
      const at = kinds.findIndex((k) => k.kind === c.kind);
      if (at >= 0) kinds[at] = counts;
      else kinds.push(counts);
      zone.kinds = kinds;
    }
    zoneChanges.clear();
  }
  const bayCount = last.bays?.bayCount ?? 0;
  let bays: SiteSummary['bays'];
  if (isSnapshot) {
    const states = unpackBayStates(relevant[0]!.bays?.snapshot ?? new Uint8Array(0), bayCount);
    for (const s of relevant.slice(1)) applyBayChanges(states, decodeBayChanges(s.bays?.changes ?? []));
    bays = { bayCount, snapshot: packBayStates(states) };
  } else {
    const net = new Map<number, BayStateCode>();
    for (const s of relevant) for (const c of decodeBayChanges(s.bays?.changes ?? [])) net.set(c.index, c.state);
    const changes: BayChange[] = [...net].map(([index, state]) => ({ index, state }));
    bays = { bayCount, changes: encodeBayChanges(changes) };
  }
  const compactedCount = list.reduce((sum, s) => sum + Math.max(1, s.compactedCount ?? 1), 0);
  return {
    siteId: last.siteId,
    edgeId: last.edgeId,
    seq: last.seq,
    windowStartMs: first.windowStartMs,
    windowEndMs: last.windowEndMs,
    isSnapshot,
    zones,
    zoneChanges: encodeZoneChanges([...zoneChanges.values()]),
    bays,
    gates: [...gates.values()],
    devices: [...devices.values()],
    signs: [...signs.values()],
    softwareVersion: last.softwareVersion,
    configVersion: last.configVersion,
    compactedCount,
    mergedFromSeq: first.mergedFromSeq || first.seq,
  };
}
