/**
 * Central's directives as they apply at one instant: expired reservations, overrides and sign
 * messages are ignored, not-yet-valid ones wait. Pure.
 */
import { AreaStatus, type BayKind, type BayReservation, type Directives, type SignLine } from '@citybay/proto';

export interface ActiveDirectives {
  /** Directives version (0 when none were ever received). */
  version: number;
  reservations: BayReservation[];
  /** Status central set for a lot or zone, the zone's own override first; `undefined`: none. */
  areaStatus(lotId: string, zoneId: string | undefined): AreaStatus | undefined;
  /** Lines of an operator's message for the sign, if one is in force. */
  signOverride(signId: string): SignLine[] | undefined;
  /** Bays to withhold from the public in an area: reservations of those kinds valid now. */
  reservedIn(lotId: string, zoneId: string | undefined, kinds: ReadonlySet<BayKind>): BayReservation[];
}

export const NO_DIRECTIVES: Directives = { siteId: '', version: 0 };

/**
 * The directives in force at `nowMs`; reservations at `reservationsNowMs` (default `nowMs`): the calendar central
 * books them on, which in the demo is the twin's simulated day while operators' overrides keep the wall clock.
 */
export function activeDirectives(
  directives: Directives,
  nowMs: number,
  reservationsNowMs: number = nowMs,
): ActiveDirectives {
  const reservations = (directives.reservations ?? []).filter(
    (r) => (r.validFromMs ?? 0) <= reservationsNowMs && reservationsNowMs < (r.validUntilMs ?? 0),
  );
  const overrides = (directives.lotOverrides ?? [])
    .filter((o) => (o.validFromMs ?? 0) <= nowMs && ((o.validUntilMs ?? 0) === 0 || nowMs < (o.validUntilMs ?? 0)))
    // The most recent override of an area wins.
    .sort((a, b) => (b.validFromMs ?? 0) - (a.validFromMs ?? 0));
  const signOverrides = (directives.signOverrides ?? []).filter((o) => nowMs < (o.expiresMs ?? 0));
  return {
    version: directives.version ?? 0,
    reservations,
    areaStatus(lotId, zoneId) {
      const ofLot = overrides.filter((o) => o.lotId === lotId);
      const own = zoneId === undefined ? undefined : ofLot.find((o) => o.zoneId === zoneId);
      const status = (own ?? ofLot.find((o) => !o.zoneId))?.status;
      return status === undefined || status === null || status === AreaStatus.AREA_STATUS_UNSPECIFIED
        ? undefined
        : status;
    },
    signOverride(signId) {
      return signOverrides.find((o) => o.signId === signId)?.lines ?? undefined;
    },
    reservedIn(lotId, zoneId, kinds) {
      return reservations.filter(
        (r) =>
          r.lotId === lotId &&
          (zoneId === undefined || !r.zoneId || r.zoneId === zoneId) &&
          kinds.has((r.kind ?? 0) as BayKind),
      );
    },
  };
}
