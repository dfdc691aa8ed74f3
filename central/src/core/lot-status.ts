import { AreaStatus, type Directives, type LotOverride } from '@citybay/proto';
import type { KindCounts, ZoneState } from './sync-records.js';
import type { BayCapacity, LotDefinition, SiteDefinition } from './site-definition.js';

/** Status values as DATEX II v3 `ParkingSiteStatusEnum` spells them. */
export type ParkingStatusName = 'spacesAvailable' | 'almostFull' | 'full' | 'closed' | 'unknown';

export interface StatusRules {
  /** Counts older than this (ms) make the status `unknown`. */
  staleAfterMs: number;
  /** Occupancy (%) from which a lot is `almostFull`, unless the lot sets its own. */
  almostFullPct: number;
}

export interface AreaCounts {
  capacity: number;
  free: number;
  occupied: number;
  unknown: number;
  /** Free bays offered to the public: free minus active reservations, 0 when closed. */
  vacant: number;
  reserved: number;
  /** Occupied share of capacity, 0–100, one decimal. */
  occupancyPct: number;
  status: ParkingStatusName;
  /** Newest window end among the counts (ms), null without data. */
  originMs: number | null;
}

export interface LotStatus extends AreaCounts {
  siteId: string;
  lotId: string;
  name: string;
  capacityByKind: BayCapacity;
  kinds: KindCounts;
  override: LotOverride | null;
  zones: ZoneState[];
}

export interface SiteStatus extends AreaCounts {
  siteId: string;
  name: string;
  lots: LotStatus[];
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

function isActive(from: number | null | undefined, until: number | null | undefined, nowMs: number): boolean {
  return (from ?? 0) <= nowMs && ((until ?? 0) === 0 || (until ?? 0) > nowMs);
}

function statusOf(c: Omit<AreaCounts, 'status'>, almostFullPct: number, isStale: boolean): ParkingStatusName {
  if (isStale || c.originMs === null) return 'unknown';
  if (c.vacant <= 0) return 'full';
  const usedPct = c.capacity > 0 ? 100 * (1 - c.vacant / c.capacity) : 100;
  return usedPct >= almostFullPct ? 'almostFull' : 'spacesAvailable';
}

function lotStatus(
  siteId: string,
  lot: LotDefinition,
  states: ZoneState[],
  directives: Directives,
  nowMs: number,
  rules: StatusRules,
): LotStatus {
  const lotStates = states.filter((z) => z.lotId === lot.id);
  const zoned = lotStates.filter((z) => z.zoneId !== '');
  // A zoned lot is counted by its zones; a gate-counted lot reports the whole lot as zone "".
  const counted = zoned.length > 0 ? zoned : lotStates;
  const kinds: KindCounts = {};
  let free = 0;
  let occupied = 0;
  let unknown = 0;
  let originMs: number | null = null;
  for (const z of counted) {
    free += z.free;
    occupied += z.occupied;
    unknown += z.unknown;
    originMs = Math.max(originMs ?? 0, z.windowEndMs);
    for (const [kind, count] of Object.entries(z.kinds)) {
      const total = kinds[kind] ?? { free: 0, occupied: 0, unknown: 0 };
      total.free += count?.free ?? 0;
      total.occupied += count?.occupied ?? 0;
      total.unknown += count?.unknown ?? 0;
      kinds[kind] = total;
    }
  }
  const capacity = Object.values(lot.capacity).reduce((n: number, c) => n + (c ?? 0), 0);
  const override =
    (directives.lotOverrides ?? []).find(
      (o) => o.lotId === lot.id && (o.zoneId ?? '') === '' && isActive(o.validFromMs, o.validUntilMs, nowMs),
    ) ?? null;
  const reserved = (directives.reservations ?? []).filter(
    (r) => r.lotId === lot.id && isActive(r.validFromMs, r.validUntilMs, nowMs),
  ).length;
  const isClosed = override?.status === AreaStatus.AREA_STATUS_CLOSED;
  const vacant = isClosed ? 0 : Math.max(0, free - reserved);
  const base = {
    capacity,
    free,
    occupied,
    unknown,
    vacant,
    reserved,
    occupancyPct: capacity > 0 ? round1((100 * occupied) / capacity) : 0,
    originMs,
  };
  const isStale = originMs === null || nowMs - originMs > rules.staleAfterMs;
  const status: ParkingStatusName = isClosed
    ? 'closed'
    : override?.status === AreaStatus.AREA_STATUS_FULL
      ? 'full'
      : statusOf(base, lot.almostFullPct ?? rules.almostFullPct, isStale);
  return {
    siteId,
    lotId: lot.id,
    name: lot.name,
    capacityByKind: lot.capacity,
    kinds,
    override,
    zones: lotStates,
    ...base,
    vacant: status === 'full' && override ? 0 : vacant,
    status,
  };
}

/**
 * The public picture of a site: per lot and in total, vacant/occupied bays, occupancy and a DATEX II
 * status. Closed lots have 0 vacant; counts older than `staleAfterMs` give `unknown`.
 */
export function siteStatus(
  site: SiteDefinition,
  states: ZoneState[],
  directives: Directives,
  nowMs: number,
  rules: StatusRules,
): SiteStatus {
  const lots = site.lots.map((lot) => lotStatus(site.id, lot, states, directives, nowMs, rules));
  const sum = (pick: (l: LotStatus) => number): number => lots.reduce((n, l) => n + pick(l), 0);
  const capacity = sum((l) => l.capacity);
  const vacant = sum((l) => l.vacant);
  const known = lots.filter((l) => l.originMs !== null);
  const originMs = known.length > 0 ? Math.max(...known.map((l) => l.originMs!)) : null;
  const counts = {
    capacity,
    free: sum((l) => l.free),
    occupied: sum((l) => l.occupied),
    unknown: sum((l) => l.unknown),
    vacant,
    reserved: sum((l) => l.reserved),
    occupancyPct: capacity > 0 ? round1((100 * sum((l) => l.occupied)) / capacity) : 0,
    originMs,
  };
  let status: ParkingStatusName;
  if (lots.every((l) => l.status === 'closed')) status = 'closed';
  else if (lots.every((l) => l.status === 'unknown' || l.status === 'closed')) status = 'unknown';
  else status = statusOf(counts, rules.almostFullPct, false);
  return { siteId: site.id, name: site.name, lots, ...counts, status };
}
