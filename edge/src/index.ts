export { ERROR_TABLE, errors } from './errors.js';
export type { ConfigIssue } from './config/schema-issues.js';
export type { CentralSettings, GuidanceSettings, SiteConfig, SiteIntervals } from './config/site-config.js';
export type { SiteFile } from './config/site-config-schema.js';
export { SiteFileSchema } from './config/site-config-schema.js';
export { siteJsonSchemaText } from './config/site-json-schema.js';
export type { LoadSiteOptions, SiteCheck } from './config/load-site-config.js';
export {
  checkSiteData,
  checkSiteFile,
  EDGE_SECRET_PATTERN,
  formatIssues,
  loadSiteConfig,
} from './config/load-site-config.js';
export type { ActiveDirectives } from './core/active-directives.js';
export { activeDirectives, NO_DIRECTIVES } from './core/active-directives.js';
export type { GuidanceMemory, PlannedSign, PlanInput } from './core/sign-planner.js';
export { planFallbackMessages, planSignMessages } from './core/sign-planner.js';
export type { LayoutBay, SiteLayout } from './core/site-layout.js';
export { buildSiteLayout } from './core/site-layout.js';
export type { AreaCount, ZoneCount } from './core/site-state.js';
export { SiteState } from './core/site-state.js';
export { SummaryBuilder } from './core/summary-builder.js';
export { mergeSummaries } from './core/summary-merge.js';
export type { CompactionReport, Outbox, OutboxStats } from './io/outbox/outbox.js';
export { SqliteOutbox, type SqliteOutboxOptions } from './io/outbox/outbox-sqlite.js';
export { loadPersistedDirectives, SyncClient, type SyncClientOptions, type SyncStats } from './io/sync/sync-client.js';
export { type EdgeRuntime, type RunEdgeOptions, runEdge, SOFTWARE_VERSION } from './main.js';
