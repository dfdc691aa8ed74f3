/**
 * The edge's `/healthz` answer: healthy while every device answers, every sign takes its writes and no sign shows
 * its fail-safe message; the details say which are not and how far the outbox and the sync with central are.
 */
import { getHeapStatistics } from 'node:v8';
import type { PlannedSign } from '../core/sign-planner.js';
import type { SiteState } from '../core/site-state.js';
import type { OutboxStats } from '../io/outbox/outbox.js';
import type { SyncStats } from '../io/sync/sync-client.js';
import type { LocalServerOptions } from './local-server.js';

export interface EdgeHealthSources {
  softwareVersion: string;
  state: SiteState;
  outbox: () => OutboxStats;
  sync: () => SyncStats;
  planned: () => readonly PlannedSign[];
  /** Signs whose last write failed. */
  signsFailing: () => string[];
}

/** How Node was started, for /healthz: the V8 flags the unit's memory figures depend on must show here. */
export function runtimeInfo(): { nodeVersion: string; execArgv: string[]; heapSizeLimitBytes: number } {
  return {
    nodeVersion: process.version,
    execArgv: process.execArgv,
    heapSizeLimitBytes: getHeapStatistics().heap_size_limit,
  };
}

export function edgeHealth(sources: EdgeHealthSources): LocalServerOptions['health'] {
  return () => {
    const offline = sources.state
      .deviceStatuses()
      .filter((d) => d.health === 'offline' || d.health === 'quarantined')
      .map((d) => d.deviceId);
    const stats = sources.outbox();
    const sync = sources.sync();
    const planned = sources.planned();
    const signsFailing = sources.signsFailing();
    return {
      isHealthy: offline.length === 0 && signsFailing.length === 0 && !planned.some((p) => p.isFallback),
      details: {
        version: sources.softwareVersion,
        devicesOffline: offline,
        signsOnFallback: planned.filter((p) => p.isFallback).map((p) => p.signId),
        signsFailing,
        outboxDepth: stats.depth,
        lastSeq: stats.lastSeq,
        ackedSeq: stats.ackedSeq,
        lastSyncMs: sync.lastSuccessMs,
        syncError: sync.lastErrorCode,
        directivesVersion: sync.directivesVersion,
        runtime: runtimeInfo(),
      },
    };
  };
}
