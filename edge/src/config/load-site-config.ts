/**
 * Loads the site file: bounded read → YAML (bounded: aliases, depth, size) → schema check → only then
 * the layout, profiles, secret and cross-references → frozen {@link SiteConfig}. Every problem is
 * reported with the path of the bad field; nothing is built from data that failed the schema (see
 * `site-config-prune.ts` for how references are still checked then).
 */
import { dirname, resolve } from 'node:path';
import { checkDataShape, parseYamlSafely, readBoundedText } from '@citybay/firmware-bridge';
import { MAX_BAYS_PER_SITE } from '@citybay/proto';
import { buildSiteLayout } from '../core/site-layout.js';
import { errors } from '../errors.js';
import { checkCommissioning } from './commissioning-checks.js';
import { checkCrossReferences } from './cross-references.js';
import { type ConfigIssue, schemaIssues } from './schema-issues.js';
import { DEFAULT_INTERVALS, type SiteConfig } from './site-config.js';
import { type SiteFile, SiteFileSchema } from './site-config-schema.js';
import { pruneForReferences } from './site-config-prune.js';
import { loadProfiles, readCaFile, resolveSecret } from './site-files.js';

export { EDGE_SECRET_PATTERN } from './site-files.js';

/** Largest site file read, in bytes (bay runs keep a 2,000-bay site under 10 kB). */
export const MAX_SITE_FILE_BYTES = 1024 * 1024;
/** Most issues one check reports (a file broken everywhere would otherwise list millions). */
export const MAX_ISSUES = 200;

export interface LoadSiteOptions {
  /** Environment to read `CITYBAY_EDGE_SECRET` from. Default `process.env`. */
  env?: Record<string, string | undefined>;
}

/** Result of checking a site file: the config when valid, otherwise every issue. */
export type SiteCheck = { config: SiteConfig; issues: [] } | { config: undefined; issues: ConfigIssue[] };

const isUnder = (path: string, prefix: string): boolean =>
  path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);

/** Bays the file expands to, counted without expanding anything (a run of bays counts its `count`). */
function bayCount(file: SiteFile): number {
  let n = 0;
  for (const lot of file.lots)
    for (const zone of lot.zones ?? []) for (const b of zone.bays) n += 'count' in b ? b.count : 1;
  return n;
}

/** Layout, profiles, secret, references and commissioning checks of a file that passed the schema. */
function referenceIssues(file: SiteFile, baseDir: string, options: LoadSiteOptions) {
  const issues: ConfigIssue[] = [];
  const bays = bayCount(file);
  if (bays > MAX_BAYS_PER_SITE) {
    issues.push({ path: 'lots', message: `${bays} bays, a site has at most ${MAX_BAYS_PER_SITE}` });
    return { issues, layout: undefined, profiles: new Map(), secret: '' };
  }
  const profiles = loadProfiles(file, baseDir, issues);
  const layout = buildSiteLayout(file);
  issues.push(...checkCrossReferences(file, layout, profiles));
  issues.push(...checkCommissioning(file, layout, profiles));
  const secret = resolveSecret(file, baseDir, options.env ?? process.env, issues);
  return { issues, layout, profiles, secret };
}

/** Validates parsed site data; `sourceFile` resolves relative paths (profiles, secret, CA, outbox). */
export function checkSiteData(data: unknown, sourceFile: string, options: LoadSiteOptions = {}): SiteCheck {
  const shape = checkDataShape(data);
  if (!shape.ok) return { config: undefined, issues: [{ path: shape.path, message: shape.message }] };
  const baseDir = dirname(resolve(sourceFile));
  const schema = schemaIssues(SiteFileSchema, data, MAX_ISSUES);
  if (schema.length > 0) {
    // Report broken references too, checked on a copy that passes the schema (or not at all).
    const pruned = pruneForReferences(data, schema);
    if (pruned) {
      const found = referenceIssues(pruned.file, baseDir, options).issues;
      const isCovered = (path: string) =>
        pruned.isPlaceholderIssue(path) || schema.some((issue) => isUnder(path, issue.path));
      schema.push(...found.filter((issue) => !isCovered(issue.path)));
    }
    return { config: undefined, issues: schema.slice(0, MAX_ISSUES) };
  }
  const file = data as SiteFile;
  const { issues, layout, profiles, secret } = referenceIssues(file, baseDir, options);
  const caPem =
    file.central.caFile === undefined ? undefined : readCaFile(resolve(baseDir, file.central.caFile), issues);
  const fullAtFree = file.guidance?.fullAtFree ?? 0;
  const reopenAtFree = file.guidance?.reopenAtFree ?? fullAtFree + 3;
  if (reopenAtFree <= fullAtFree) {
    issues.push({
      path: 'guidance.reopenAtFree',
      message: `expected more than fullAtFree (${fullAtFree}), got ${reopenAtFree}`,
    });
  }
  if (issues.length > 0 || layout === undefined) return { config: undefined, issues: issues.slice(0, MAX_ISSUES) };
  const c = file.central;
  const config: SiteConfig = {
    sourceFile: resolve(sourceFile),
    file,
    layout,
    profiles,
    intervals: { ...DEFAULT_INTERVALS, ...file.intervals },
    guidance: { fullAtFree, reopenAtFree, maxUnknownPct: file.guidance?.maxUnknownPct ?? 25 },
    central: {
      url: c.url.replace(/\/+$/, ''),
      secret,
      caPem,
      syncIntervalMs: c.syncIntervalMs ?? 5000,
      batchMax: c.batchMax ?? 500,
      requestTimeoutMs: c.requestTimeoutMs ?? 15_000,
      backoffInitialMs: c.backoffInitialMs ?? 1000,
      backoffMaxMs: c.backoffMaxMs ?? 60_000,
    },
    outbox: { path: resolve(baseDir, file.outbox.path), maxSummaries: file.outbox.maxSummaries ?? 200_000 },
    http: { host: file.http?.host ?? '127.0.0.1', port: file.http?.port ?? 9464 },
    logLevel: file.logLevel ?? 'info',
  };
  return { config: deepFreeze(config), issues: [] };
}

/** Reads and checks a site file; returns every issue instead of throwing. */
export function checkSiteFile(sourceFile: string, options: LoadSiteOptions = {}): SiteCheck {
  const read = readBoundedText(sourceFile, MAX_SITE_FILE_BYTES);
  if (!read.ok)
    return { config: undefined, issues: [{ path: '', message: `cannot read the site file: ${read.message}` }] };
  const parsed = parseYamlSafely(read.text);
  if (!parsed.ok) return { config: undefined, issues: [{ path: parsed.path, message: parsed.message }] };
  return checkSiteData(parsed.data, sourceFile, options);
}

/** One line per issue: `site.yaml: lots[0].zones[1].bays[3].kind: expected one of …, got "vip"`. */
export function formatIssues(sourceFile: string, issues: readonly ConfigIssue[]): string {
  return issues.map((i) => `${sourceFile}: ${i.path === '' ? '' : `${i.path}: `}${i.message}`).join('\n');
}

/** Loads the site file or throws `CB_CONFIG_INVALID` listing every issue (the first one's path in `path`). */
export function loadSiteConfig(sourceFile: string, options: LoadSiteOptions = {}): SiteConfig {
  const result = checkSiteFile(sourceFile, options);
  if (result.config === undefined) {
    throw errors.CB_CONFIG_INVALID(formatIssues(sourceFile, result.issues), { path: result.issues[0]?.path ?? '' });
  }
  return result.config;
}

function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  if (value instanceof Map) {
    for (const v of value.values()) deepFreeze(v);
    return Object.freeze(value);
  }
  for (const v of Object.values(value as object)) deepFreeze(v);
  return Object.freeze(value);
}
