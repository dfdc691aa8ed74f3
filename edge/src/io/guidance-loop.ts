/**
 * The edge's guidance loop: readings and directives in, sign messages out. It re-plans when something a sign
 * could show changed (at most once per turn of the event loop), on every `planMs` tick, and the moment a silent
 * device's data runs out; each plan goes to the signs through one {@link SignWriter} per sign.
 */
import type { Logger } from '@citybay/common';
import type { DeviceReading, GuidanceSign, SignMessage } from '@citybay/firmware-bridge';
import type { Directives } from '@citybay/proto';
import type { GuidanceSettings } from '../config/site-config.js';
import type { SignConfig } from '../config/site-config-schema.js';
import { activeDirectives } from '../core/active-directives.js';
import { type GuidanceMemory, type PlannedSign, planFallbackMessages, planSignMessages } from '../core/sign-planner.js';
import type { SiteState } from '../core/site-state.js';
import { DeadlineTimer } from './deadline-timer.js';
import { SignWriter } from './signs/sign-writer.js';

export interface GuidanceLoopOptions {
  state: SiteState;
  /** The sign drivers, one writer each. */
  signs: readonly GuidanceSign[];
  /** The site file's signs (lines, fallbacks, blank-out timeouts). */
  signConfigs: readonly SignConfig[];
  guidance: GuidanceSettings;
  /** Lots closed unless central opens them. */
  closedByDefault: ReadonlySet<string>;
  /** Central's directives when the loop starts (the persisted ones, or none). */
  directives: Directives;
  /** How often to plan even when nothing changed, in ms (directives expire, FULL hysteresis settles). */
  planMs: number;
  logger: Logger;
  nowMs: () => number;
  /**
   * The calendar central's reservations are judged by (when they start and end). Default `nowMs`; the demo passes its
   * twin's simulated clock, on which central books them. Operators' overrides keep `nowMs`.
   */
  reservationsNowMs?: () => number;
  /** After every write attempt to a sign, for metrics. */
  onSignWrite?: (signId: string, result: 'ok' | 'error', durationMs: number, reason: 'change' | 'refresh') => void;
  /** After every plan (not the fail-safe plan at stop: its caller awaits {@link GuidanceLoop.showFailSafe}). */
  onPlanned?: (planned: readonly PlannedSign[]) => void;
}

/** What one sign should show and, as far as its last good write says, shows (the local `/signs` endpoint). */
export interface SignView {
  signId: string;
  isFallback: boolean;
  lines: SignMessage['lines'];
  shown: SignMessage | null;
}

/** A sign without a configured blank-out timeout is rewritten every 30 s (half of the default 60 s). */
const DEFAULT_REFRESH_MS = 30_000;

export class GuidanceLoop {
  private directives: Directives;
  private readonly memory: GuidanceMemory = new Set();
  private readonly writers: Map<string, SignWriter>;
  private lastPlan: PlannedSign[] = [];
  private plannedVersion = -1;
  private isPlanScheduled = false;
  // Plans only between start() and stop(): before start the field side is still opening.
  private isRunning = false;
  private planTimer: NodeJS.Timeout | undefined;
  // Plans again the moment a silent device's data runs out, not at the next guidance tick.
  private readonly staleTimer: DeadlineTimer;

  constructor(private readonly options: GuidanceLoopOptions) {
    this.directives = options.directives;
    this.staleTimer = new DeadlineTimer(() => this.plan(), options.nowMs);
    const refreshMsOf = new Map(options.signConfigs.map((s) => [s.id, (s.blankOutMs ?? 60_000) / 2]));
    this.writers = new Map(
      options.signs.map((sign) => [
        sign.id,
        new SignWriter({
          sign,
          refreshMs: refreshMsOf.get(sign.id) ?? DEFAULT_REFRESH_MS,
          logger: options.logger,
          nowMs: options.nowMs,
          onWrite: (result, durationMs, reason) => options.onSignWrite?.(sign.id, result, durationMs, reason),
        }),
      ]),
    );
  }

  /** Starts the periodic plan and plans once now. */
  start(): void {
    this.isRunning = true;
    this.planTimer ??= setInterval(() => this.plan(), this.options.planMs);
    this.plan();
  }

  /** The latest plan (what every sign should show). */
  planned(): PlannedSign[] {
    return this.lastPlan;
  }

  /** Signs whose last write failed: they may not show what was planned. */
  signsFailing(): string[] {
    return [...this.writers.values()].filter((w) => w.isWriteFailing).map((w) => w.signId);
  }

  signViews(): SignView[] {
    return this.lastPlan.map((p) => ({
      signId: p.signId,
      isFallback: p.isFallback,
      lines: p.message.lines,
      shown: this.writers.get(p.signId)?.current ?? null,
    }));
  }

  /** A poll's result: into the site state; a plan follows only when something a sign could show changed. */
  applyReading(reading: DeviceReading): void {
    const nowMs = this.options.nowMs();
    this.options.state.applyReading(reading, nowMs);
    this.staleTimer.arm(this.options.state.nextStaleAtMs(nowMs));
    // Re-plan only when something a sign could show changed: most polls change nothing.
    if (this.options.state.version !== this.plannedVersion) this.schedulePlan();
  }

  /** Central's directives as this edge holds them (the last received, or those persisted before a restart). */
  heldDirectives(): Directives {
    return this.directives;
  }

  /** Central's latest directives. */
  setDirectives(directives: Directives): void {
    this.directives = directives;
    this.schedulePlan();
  }

  /** Plans on the next turn of the event loop; several calls in one turn make one plan. */
  schedulePlan(): void {
    if (this.isPlanScheduled) return;
    this.isPlanScheduled = true;
    setImmediate(() => this.plan());
  }

  private plan(): void {
    this.isPlanScheduled = false;
    if (!this.isRunning) return;
    const { state, nowMs } = this.options;
    const now = nowMs();
    state.tick(now);
    this.staleTimer.arm(state.nextStaleAtMs(now));
    this.plannedVersion = state.version;
    this.lastPlan = planSignMessages({
      state,
      directives: activeDirectives(this.directives, now, this.options.reservationsNowMs?.() ?? now),
      signs: this.options.signConfigs,
      guidance: this.options.guidance,
      memory: this.memory,
      closedByDefault: this.options.closedByDefault,
    });
    this.show();
    this.options.onPlanned?.(this.lastPlan);
  }

  /** Stops planning (timers and pending plans); the signs keep what they show until {@link showFailSafe}. */
  stop(): void {
    this.isRunning = false;
    clearInterval(this.planTimer);
    this.planTimer = undefined;
    this.staleTimer.stop();
  }

  /**
   * Counts go stale the moment the edge stops: puts every sign on its fail-safe message and resolves when the
   * writes are done (or failed).
   */
  async showFailSafe(): Promise<void> {
    this.lastPlan = planFallbackMessages(this.options.signConfigs);
    this.show();
    await Promise.all([...this.writers.values()].map((w) => w.idle()));
  }

  private show(): void {
    for (const planned of this.lastPlan) this.writers.get(planned.signId)?.update(planned.message);
  }
}
