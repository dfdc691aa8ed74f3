import type { BayKind } from '../model/index.js';
import type { TwinEvent, TwinTimeline } from './twin-timeline.js';

/** Occupied bays per lot and kind. */
export type TwinOccupancy = Record<string, Partial<Record<BayKind, number>>>;

/**
 * Steps through a {@link TwinTimeline}: `advanceTo(s)` hands out the parks and leaves since the last step, so a
 * driver (the demo's twin process) can mirror them on emulated sensors at any speed-up. Pure: the caller owns time.
 */
export class DigitalTwin {
  private next = 0;
  private simS: number;
  private readonly occupied: TwinOccupancy;

  constructor(readonly timeline: TwinTimeline) {
    this.simS = timeline.startS;
    this.occupied = {};
    for (const lotId of timeline.lotIds) this.occupied[lotId] = { ...timeline.initialOccupancy[lotId] };
  }

  /** Simulated time reached (s after midnight). */
  get nowS(): number {
    return this.simS;
  }

  get isDone(): boolean {
    return this.simS >= this.timeline.endS;
  }

  /** Moves simulated time forward to `simS` (capped at the end) and returns the events in between, in order. */
  advanceTo(simS: number): TwinEvent[] {
    const target = Math.min(Math.max(simS, this.simS), this.timeline.endS);
    const events = this.timeline.events;
    const out: TwinEvent[] = [];
    while (this.next < events.length && events[this.next]!.atS <= target) {
      const event = events[this.next++]!;
      const byKind = (this.occupied[event.lotId] ??= {});
      byKind[event.kind] = (byKind[event.kind] ?? 0) + (event.isArrival ? 1 : -1);
      out.push(event);
    }
    this.simS = target;
    return out;
  }

  /** Occupied bays per lot and kind as the simulation has them now (a copy). */
  occupancy(): TwinOccupancy {
    return Object.fromEntries(Object.entries(this.occupied).map(([lot, byKind]) => [lot, { ...byKind }]));
  }

  /** Queue (m) per link that has one in the series interval holding `simS` (default: now). */
  linkQueuesM(simS: number = this.simS): Record<string, number> {
    const i = this.intervalOf(simS);
    const { edgeIds, seriesM } = this.timeline.linkQueues;
    const out: Record<string, number> = {};
    edgeIds.forEach((edgeId, e) => {
      const m = seriesM[e]![i] ?? 0;
      if (m > 0) out[edgeId] = m;
    });
    return out;
  }

  private intervalOf(simS: number): number {
    const { timesS } = this.timeline.queue;
    let i = 0;
    while (i + 1 < timesS.length && timesS[i + 1]! <= simS) i++;
    return i;
  }

  /** The hospital approach queue (m) of the series interval holding `simS` (default: now). */
  approachQueueM(simS: number = this.simS): number {
    return this.timeline.queue.approachQueueM[this.intervalOf(simS)] ?? 0;
  }
}
