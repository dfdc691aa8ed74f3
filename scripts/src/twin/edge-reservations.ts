import type { GuidanceReservation } from '@citybay/guidance';
import { type BayKind, bayKindName } from '@citybay/proto';
import type { Logger } from 'pino';

/** A reservation as an edge holds it, and when the twin first saw it there (real ms). */
export interface HeldReservation {
  reservationId: string;
  lotId: string;
  /** Empty: anywhere in the lot. */
  zoneId: string;
  kind: string;
  validFromMs: number;
  validUntilMs: number;
  firstSeenRealMs: number;
}

interface WireReservation {
  reservationId?: string;
  lotId?: string;
  zoneId?: string;
  kind?: number;
  validFromMs?: number | string;
  validUntilMs?: number | string;
}

/**
 * Central's reservations as the edges received them: each edge's local `GET /directives`, polled. What a
 * pre-assigned simulated driver holds is what reached the field, when it reached it (central's allocation, the sync
 * round trip and the edge's directives all included).
 */
export class EdgeReservations {
  /** What the edges hold now: a reservation central withdrew (or an edge dropped) goes at the next poll. */
  private readonly held = new Map<string, HeldReservation>();
  /** Ids each edge answered at its last successful poll. */
  private readonly idsByEdge = new Map<string, Set<string>>();
  /** When the twin first saw each reservation at an edge (real ms), withdrawn ones included. */
  private readonly firstSeen = new Map<string, number>();
  private isPolling = false;

  constructor(
    private readonly edgeUrls: readonly string[],
    private readonly logger: Logger,
  ) {}

  /** Reservations ever seen at the edges (withdrawn ones included). */
  get size(): number {
    return this.firstSeen.size;
  }

  /** Reads every edge's directives once (a poll still under way is not doubled). */
  async poll(): Promise<void> {
    if (this.isPolling) return;
    this.isPolling = true;
    try {
      await Promise.all(this.edgeUrls.map((url) => this.pollEdge(url)));
    } finally {
      this.isPolling = false;
    }
  }

  private async pollEdge(url: string): Promise<void> {
    let body: { reservations?: WireReservation[] };
    try {
      const response = await fetch(`${url}/directives`, { signal: AbortSignal.timeout(2000) });
      if (!response.ok) return;
      body = (await response.json()) as { reservations?: WireReservation[] };
    } catch (err) {
      this.logger.debug({ err, url }, 'edge directives not read');
      return;
    }
    const nowMs = Date.now();
    const ids = new Set<string>();
    for (const r of body.reservations ?? []) {
      if (!r.reservationId || !r.lotId) continue;
      ids.add(r.reservationId);
      if (!this.firstSeen.has(r.reservationId)) this.firstSeen.set(r.reservationId, nowMs);
      this.held.set(r.reservationId, {
        reservationId: r.reservationId,
        lotId: r.lotId,
        zoneId: r.zoneId ?? '',
        kind: bayKindName((r.kind ?? 0) as BayKind) ?? 'standard',
        validFromMs: Number(r.validFromMs ?? 0),
        validUntilMs: Number(r.validUntilMs ?? 0),
        firstSeenRealMs: this.firstSeen.get(r.reservationId)!,
      });
    }
    for (const id of this.idsByEdge.get(url) ?? []) {
      if (!ids.has(id) && ![...this.idsByEdge].some(([other, held]) => other !== url && held.has(id)))
        this.held.delete(id);
    }
    this.idsByEdge.set(url, ids);
  }

  /** Whether a reservation was ever held by an edge (it may have been withdrawn since). */
  wasSeen(reservationId: string): boolean {
    return this.firstSeen.has(reservationId);
  }

  /** The reservation as an edge holds it now. */
  get(reservationId: string): HeldReservation | undefined {
    return this.held.get(reservationId);
  }

  /** The reservations in force at `calendarMs` (the twin's simulated day), as the guidance policy counts them. */
  inForce(calendarMs: number): GuidanceReservation[] {
    const out: GuidanceReservation[] = [];
    for (const r of this.held.values()) {
      if (r.validFromMs > calendarMs || calendarMs >= r.validUntilMs) continue;
      out.push({ lotId: r.lotId, kind: r.kind, ...(r.zoneId === '' ? {} : { zoneId: r.zoneId }) });
    }
    return out;
  }
}
