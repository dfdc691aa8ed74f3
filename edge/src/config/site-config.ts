import type { DeviceProfile } from '@citybay/firmware-bridge';
import type { SiteLayout } from '../core/site-layout.js';
import type { SiteFile } from './site-config-schema.js';

/** Resolved intervals, in ms (see the site file schema for meanings and defaults). */
export interface SiteIntervals {
  debounceMs: number;
  deviceStaleMs: number;
  summaryMs: number;
  snapshotEvery: number;
  planMs: number;
}

export interface GuidanceSettings {
  fullAtFree: number;
  reopenAtFree: number;
  maxUnknownPct: number;
}

export interface CentralSettings {
  url: string;
  secret: string;
  caPem: string | undefined;
  syncIntervalMs: number;
  batchMax: number;
  requestTimeoutMs: number;
  backoffInitialMs: number;
  backoffMaxMs: number;
}

/** The validated site configuration, frozen, with defaults applied and files resolved. */
export interface SiteConfig {
  /** Absolute path of the site file. */
  sourceFile: string;
  file: SiteFile;
  layout: SiteLayout;
  /** Device profiles by name. */
  profiles: ReadonlyMap<string, DeviceProfile>;
  intervals: SiteIntervals;
  guidance: GuidanceSettings;
  central: CentralSettings;
  outbox: { path: string; maxSummaries: number };
  http: { host: string; port: number };
  logLevel: string;
}

export const DEFAULT_INTERVALS: SiteIntervals = {
  debounceMs: 3000,
  deviceStaleMs: 10_000,
  summaryMs: 5000,
  snapshotEvery: 60,
  planMs: 1000,
};
