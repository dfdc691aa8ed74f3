import { errors } from './errors.js';
import type { BayKind, ZoneCounts } from './wire-types.js';

/** One changed (zone, kind) count in a change-only summary; `zoneIndex` points into the last snapshot's zones. */
export interface ZoneKindChange {
  zoneIndex: number;
  kind: BayKind;
  free: number;
  occupied: number;
  unknown: number;
}

/** A zone change with its lot and zone resolved against the snapshot that defined the indices. */
export interface ResolvedZoneChange extends Omit<ZoneKindChange, 'zoneIndex'> {
  lotId: string;
  zoneId: string;
}

const GROUP = 5;

/** Flattens changes into `SiteSummary.zone_changes` (groups of five numbers). */
export function encodeZoneChanges(changes: readonly ZoneKindChange[]): number[] {
  const out: number[] = [];
  for (const c of changes) out.push(c.zoneIndex, c.kind, c.free, c.occupied, c.unknown);
  return out;
}

export function decodeZoneChanges(values: readonly number[]): ZoneKindChange[] {
  const out: ZoneKindChange[] = [];
  for (let i = 0; i + GROUP <= values.length; i += GROUP) {
    out.push({
      zoneIndex: values[i]!,
      kind: values[i + 1]! as BayKind,
      free: values[i + 2]!,
      occupied: values[i + 3]!,
      unknown: values[i + 4]!,
    });
  }
  return out;
}

/**
 * Resolves zone indices against the zones of the snapshot they refer to. Throws `CB_WIRE_INVALID`
 * naming the change whose index is beyond the snapshot.
 */
export function resolveZoneChanges(
  values: readonly number[],
  snapshotZones: readonly Pick<ZoneCounts, 'lotId' | 'zoneId'>[],
  path = 'zoneChanges',
): ResolvedZoneChange[] {
  return decodeZoneChanges(values).map(({ zoneIndex, ...counts }, i) => {
    const zone = snapshotZones[zoneIndex];
    if (!zone) {
      throw errors.CB_WIRE_INVALID(
        `${path}[${i * GROUP}]: zone index ${zoneIndex} is beyond the ${snapshotZones.length} zones of the last snapshot`,
        { path: `${path}[${i * GROUP}]` },
      );
    }
    return { lotId: zone.lotId ?? '', zoneId: zone.zoneId ?? '', ...counts };
  });
}
