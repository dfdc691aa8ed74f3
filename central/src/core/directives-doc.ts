import type { BayReservation, Directives, LotOverride, SignOverride } from '@citybay/proto';

/** A site's directives as stored: one versioned document per site, changed as a whole. */
export interface DirectivesDoc {
  version: number;
  issuedMs: number;
  configVersion: string;
  reservations: BayReservation[];
  lotOverrides: LotOverride[];
  signOverrides: SignOverride[];
}

export function emptyDirectivesDoc(): DirectivesDoc {
  return { version: 0, issuedMs: 0, configVersion: '', reservations: [], lotOverrides: [], signOverrides: [] };
}

function bump(doc: DirectivesDoc, nowMs: number, change: Partial<DirectivesDoc>): DirectivesDoc {
  return { ...doc, ...change, version: doc.version + 1, issuedMs: nowMs };
}

export function withConfigVersion(doc: DirectivesDoc, configVersion: string, nowMs: number): DirectivesDoc {
  return doc.configVersion === configVersion ? doc : bump(doc, nowMs, { configVersion });
}

export function withLotOverride(doc: DirectivesDoc, override: LotOverride, nowMs: number): DirectivesDoc {
  const others = doc.lotOverrides.filter(
    (o) => !(o.lotId === override.lotId && (o.zoneId ?? '') === (override.zoneId ?? '')),
  );
  return bump(doc, nowMs, { lotOverrides: [...others, { ...override, zoneId: override.zoneId ?? '' }] });
}

export function withoutLotOverride(doc: DirectivesDoc, lotId: string, zoneId: string, nowMs: number): DirectivesDoc {
  const kept = doc.lotOverrides.filter((o) => !(o.lotId === lotId && (o.zoneId ?? '') === zoneId));
  return kept.length === doc.lotOverrides.length ? doc : bump(doc, nowMs, { lotOverrides: kept });
}

export function withSignOverride(doc: DirectivesDoc, override: SignOverride, nowMs: number): DirectivesDoc {
  const others = doc.signOverrides.filter((o) => o.signId !== override.signId);
  return bump(doc, nowMs, { signOverrides: [...others, override] });
}

export function withoutSignOverride(doc: DirectivesDoc, signId: string, nowMs: number): DirectivesDoc {
  const kept = doc.signOverrides.filter((o) => o.signId !== signId);
  return kept.length === doc.signOverrides.length ? doc : bump(doc, nowMs, { signOverrides: kept });
}

export function withReservations(
  doc: DirectivesDoc,
  upsert: readonly BayReservation[],
  removeIds: readonly string[],
  nowMs: number,
): DirectivesDoc {
  if (upsert.length === 0 && removeIds.length === 0) return doc;
  const replaced = new Set([...upsert.map((r) => r.reservationId), ...removeIds]);
  const kept = doc.reservations.filter((r) => !replaced.has(r.reservationId));
  return bump(doc, nowMs, { reservations: [...kept, ...upsert.map((r) => ({ ...r }))] });
}

/** The wire form sent to edges: items already expired at `nowMs` are left out. */
export function directivesForWire(siteId: string, doc: DirectivesDoc, nowMs: number): Directives {
  return {
    siteId,
    version: doc.version,
    issuedMs: doc.issuedMs,
    configVersion: doc.configVersion,
    reservations: doc.reservations.filter((r) => (r.validUntilMs ?? 0) > nowMs),
    lotOverrides: doc.lotOverrides.filter((o) => (o.validUntilMs ?? 0) === 0 || (o.validUntilMs ?? 0) > nowMs),
    signOverrides: doc.signOverrides.filter((o) => (o.expiresMs ?? 0) > nowMs),
  };
}
