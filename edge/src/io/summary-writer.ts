/**
 * Writes the site's summaries: every `summaryMs` (and on demand) it builds one from the site state, the device
 * counters and the signs' faces, appends it to the outbox, keeps the gate lots' counts there too (so a restart
 * continues them), and tells the sync client there is something to send.
 */
import type { Logger } from '@citybay/common';
import type { BayDetector } from '@citybay/firmware-bridge';
import type { SignFace } from '@citybay/proto';
import type { GateLotSnapshot } from '../core/gate-lot.js';
import type { SiteState } from '../core/site-state.js';
import type { SummaryBuilder } from '../core/summary-builder.js';
import type { EdgeMetrics } from '../http/edge-metrics.js';
import type { SqliteOutbox } from './outbox/outbox-sqlite.js';

/** The outbox state key of the gate lots' counts. */
const GATE_STATE_KEY = 'gate-lots';

/** Puts the gate lots' counts the outbox kept back into `state`; returns what was stored (undefined: nothing). */
export function restoreGateLots(outbox: SqliteOutbox, state: SiteState): string | undefined {
  const stored = outbox.getState(GATE_STATE_KEY);
  if (stored !== undefined) state.restoreGateLots(JSON.parse(stored) as GateLotSnapshot[]);
  return stored;
}

export interface SummaryWriterOptions {
  state: SiteState;
  outbox: SqliteOutbox;
  builder: SummaryBuilder;
  /** The polled devices, for their counters. */
  detectors: readonly BayDetector[];
  /** False when the site has no gate-counted lot: nothing to keep. */
  hasGateLots: boolean;
  /** What {@link restoreGateLots} returned: the gate counts are written again only when they changed. */
  storedGateLots: string | undefined;
  /** What each sign shows, as on the wire. */
  signFaces: () => SignFace[];
  metrics: Pick<EdgeMetrics, 'summaries' | 'compactions'>;
  logger: Logger;
  nowMs: () => number;
  /** After each summary is in the outbox (the sync client sends it). */
  onWritten: () => void;
  /** After each periodic write, whether it worked or not (the status LED blinks). */
  onTick?: () => void;
}

export class SummaryWriter {
  private windowStartMs: number;
  private gateLotsKey: string | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: SummaryWriterOptions) {
    this.windowStartMs = options.nowMs();
    this.gateLotsKey = options.storedGateLots;
  }

  /** Writes a summary every `summaryMs`; a failed write is logged and the next one covers its window. */
  start(summaryMs: number): void {
    this.timer ??= setInterval(() => {
      try {
        this.write();
      } catch (err) {
        this.options.logger.error({ err }, 'cannot write a summary');
      }
      this.options.onTick?.();
    }, summaryMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Writes one summary now, covering the time since the last one. */
  write(): void {
    const { state, outbox, builder, metrics } = this.options;
    const nowMs = this.options.nowMs();
    state.tick(nowMs);
    const statuses = new Map(state.deviceStatuses().map((d) => [d.deviceId, d]));
    const summary = builder.build({
      windowStartMs: this.windowStartMs,
      windowEndMs: Math.max(nowMs, this.windowStartMs),
      bayStates: state.bayStates(),
      zones: state.zoneCounts(),
      gates: state.gateTotals(),
      devices: this.options.detectors.map((d) => {
        const c = d.counters();
        const s = statuses.get(d.deviceId);
        return {
          deviceId: d.deviceId,
          health: s?.health ?? 'offline',
          okCount: c.responses,
          timeoutCount: c.timeouts,
          crcErrorCount: c.crcErrors,
          exceptionCount: c.exceptions,
          lastGoodMs: s?.lastGoodMs ?? null,
        };
      }),
      signs: this.options.signFaces(),
    });
    this.windowStartMs = nowMs;
    const compaction = outbox.append(summary);
    metrics.summaries.inc();
    if (compaction) {
      metrics.compactions.inc();
      this.options.logger.warn(compaction, 'outbox full: compacted the oldest summaries into coarser ones');
    }
    const gates = JSON.stringify(state.gateLotSnapshots());
    if (this.options.hasGateLots && gates !== this.gateLotsKey) {
      outbox.setState(GATE_STATE_KEY, gates);
      this.gateLotsKey = gates;
    }
    this.options.onWritten();
  }
}
