import type { Clock } from '@citybay/common';
import type { CentralConfig } from '../config.js';
import { indexSite, type SiteIndex } from '../core/site-check.js';
import type { SiteDefinition } from '../core/site-definition.js';
import { errors } from '../errors.js';
import type { ApiKeyring } from '../io/api-keys.js';
import type { DayPlanner } from '../io/day-planner.js';
import type { CentralStore, EdgeRecord } from '../store/store.js';
import { FailedLogins } from './failed-logins.js';
import type { CentralMetrics } from './metrics.js';
import { TtlCache } from './ttl-cache.js';

/** How long credentials and site definitions are reused before being read again (ms). */
export const LOOKUP_CACHE_MS = 5_000;

/** What every route module gets. */
export interface CentralContext {
  store: CentralStore;
  config: CentralConfig;
  clock: Clock;
  /** The calendar reservations are held on (the wall clock, or the demo's simulated day). */
  calendarClock: Clock;
  keyring: ApiKeyring;
  metrics: CentralMetrics;
  /** Plans and re-optimises appointment days, one change at a time per site-day. */
  planner: DayPlanner;
  edges: TtlCache<EdgeRecord>;
  /** Failed logins per client address (`failedLoginsPerMin`). */
  failedLogins: FailedLogins;
  sites: TtlCache<{ definition: SiteDefinition; index: SiteIndex }>;
  /** The site or `CB_SITE_UNKNOWN`. */
  requireSite(siteId: string): Promise<SiteDefinition>;
  /** The site with its lot/zone index (for ingest checks), or `CB_SITE_UNKNOWN`. */
  requireIndexedSite(siteId: string): Promise<{ definition: SiteDefinition; index: SiteIndex }>;
}

export function createContext(
  store: CentralStore,
  config: CentralConfig,
  clock: Clock,
  keyring: ApiKeyring,
  metrics: CentralMetrics,
  planner: DayPlanner,
  calendarClock: Clock = clock,
): CentralContext {
  const sites = new TtlCache<{ definition: SiteDefinition; index: SiteIndex }>(LOOKUP_CACHE_MS, clock);
  return {
    store,
    config,
    clock,
    calendarClock,
    keyring,
    metrics,
    planner,
    edges: new TtlCache<EdgeRecord>(LOOKUP_CACHE_MS, clock),
    failedLogins: new FailedLogins(config.failedLoginsPerMin, clock),
    sites,
    async requireSite(siteId) {
      return (await this.requireIndexedSite(siteId)).definition;
    },
    async requireIndexedSite(siteId) {
      const site = await sites.get(siteId, async () => {
        const definition = await store.getSite(siteId);
        return definition ? { definition, index: indexSite(definition) } : undefined;
      });
      if (!site) throw errors.CB_SITE_UNKNOWN(`site "${siteId}" is not known`, { path: 'siteId' });
      return site;
    },
  };
}
