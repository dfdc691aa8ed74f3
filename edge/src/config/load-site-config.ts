/**
 * Loads the site file: YAML → schema check → cross-references (devices, profiles, lots, gates,
 * signs) → frozen {@link SiteConfig}. Every problem is reported with the path of the bad field.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { BUILTIN_PROFILE_DIR, builtinProfileNames, type DeviceProfile, parseProfile } from '@citybay/firmware-bridge';
import { parseDocument } from 'yaml';
import { buildSiteLayout } from '../core/site-layout.js';
import { errors } from '../errors.js';
import { checkCrossReferences } from './cross-references.js';
import { type ConfigIssue, schemaIssues } from './schema-issues.js';
import { DEFAULT_INTERVALS, type SiteConfig } from './site-config.js';
import { type SiteFile, SiteFileSchema } from './site-config-schema.js';

/** The edge secret format printed by central's admin CLI: `cbk_` + 43 base64url characters (256 bits). */
export const EDGE_SECRET_PATTERN = /^cbk_[A-Za-z0-9_-]{43}$/;

export interface LoadSiteOptions {
  /** Environment to read `CITYBAY_EDGE_SECRET` from. Default `process.env`. */
  env?: Record<string, string | undefined>;
}

/** Result of checking a site file: the config when valid, otherwise every issue. */
export type SiteCheck = { config: SiteConfig; issues: [] } | { config: undefined; issues: ConfigIssue[] };

function readText(file: string, path: string, what: string, issues: ConfigIssue[]): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (cause) {
    issues.push({ path, message: `cannot read ${what} ${file}: ${(cause as NodeJS.ErrnoException).code ?? cause}` });
    return undefined;
  }
}

function parseProfileFile(file: string, path: string, issues: ConfigIssue[]): DeviceProfile | undefined {
  const text = readText(file, path, 'profile', issues);
  if (text === undefined) return undefined;
  try {
    return parseProfile(text, file);
  } catch (err) {
    issues.push({ path, message: (err as Error).message });
    return undefined;
  }
}

/** Profiles listed in the site file, then the shipped ones the devices and signs name. */
function loadProfiles(file: SiteFile, baseDir: string, issues: ConfigIssue[]): Map<string, DeviceProfile> {
  const profiles = new Map<string, DeviceProfile>();
  (file.profiles ?? []).forEach((entry, i) => {
    const path = `profiles[${i}]`;
    const profile = parseProfileFile(resolve(baseDir, entry), path, issues);
    if (!profile) return;
    if (profiles.has(profile.name)) {
      issues.push({ path, message: `profile name "${profile.name}" is defined twice` });
      return;
    }
    profiles.set(profile.name, profile);
  });
  const wanted = new Set([
    ...(file.buses ?? []).flatMap((bus) => bus.devices.map((d) => d.profile)),
    ...(file.signs ?? []).flatMap((sign) => (sign.driver.type === 'modbus' ? [sign.driver.profile] : [])),
  ]);
  const shipped = new Set(builtinProfileNames());
  for (const name of wanted) {
    if (profiles.has(name) || !shipped.has(name)) continue;
    const fileName = readdirSync(BUILTIN_PROFILE_DIR).find((f) => f.replace(/\.(ya?ml|json)$/, '') === name);
    if (fileName === undefined) continue;
    const profile = parseProfileFile(resolve(BUILTIN_PROFILE_DIR, fileName), 'profiles', issues);
    if (profile) profiles.set(name, profile);
  }
  return profiles;
}

function resolveSecret(file: SiteFile, baseDir: string, env: LoadSiteOptions['env'], issues: ConfigIssue[]): string {
  let secret = env?.CITYBAY_EDGE_SECRET;
  let path = 'central.secret';
  if (secret === undefined && file.central.secretFile !== undefined) {
    path = 'central.secretFile';
    secret = readText(resolve(baseDir, file.central.secretFile), path, 'secret file', issues)?.trim();
    if (secret === undefined) return '';
  }
  secret ??= file.central.secret;
  if (secret === undefined) {
    issues.push({ path: 'central', message: 'needs secretFile or secret (or the CITYBAY_EDGE_SECRET variable)' });
    return '';
  }
  if (!EDGE_SECRET_PATTERN.test(secret)) {
    // Never echo the secret itself.
    issues.push({ path, message: 'expected cbk_ followed by 43 base64url characters (as printed by central)' });
  }
  return secret;
}

/** Validates parsed site data; `sourceFile` resolves relative paths (profiles, secret, CA, outbox). */
export function checkSiteData(data: unknown, sourceFile: string, options: LoadSiteOptions = {}): SiteCheck {
  const issues = schemaIssues(SiteFileSchema, data);
  const baseDir = dirname(resolve(sourceFile));
  if (issues.length > 0) {
    // Report broken references too, as far as the shape allows, so one `check` run lists everything.
    try {
      const file = data as SiteFile;
      const profileIssues: ConfigIssue[] = [];
      const profiles = loadProfiles(file, baseDir, profileIssues);
      const known = new Set(issues.map((i) => i.path));
      if (typeof file.central === 'object') resolveSecret(file, baseDir, options.env ?? process.env, profileIssues);
      for (const issue of [...profileIssues, ...checkCrossReferences(file, buildSiteLayout(file), profiles)]) {
        if (![...known].some((p) => issue.path.startsWith(p))) issues.push(issue);
      }
    } catch {
      // The shape is too broken to follow references; the schema issues say why.
    }
    return { config: undefined, issues };
  }
  const file = data as SiteFile;
  const profiles = loadProfiles(file, baseDir, issues);
  const layout = buildSiteLayout(file);
  issues.push(...checkCrossReferences(file, layout, profiles));
  const secret = resolveSecret(file, baseDir, options.env ?? process.env, issues);
  const caPem =
    file.central.caFile === undefined
      ? undefined
      : readText(resolve(baseDir, file.central.caFile), 'central.caFile', 'CA file', issues);
  const fullAtFree = file.guidance?.fullAtFree ?? 0;
  const reopenAtFree = file.guidance?.reopenAtFree ?? fullAtFree + 3;
  if (reopenAtFree <= fullAtFree) {
    issues.push({
      path: 'guidance.reopenAtFree',
      message: `expected more than fullAtFree (${fullAtFree}), got ${reopenAtFree}`,
    });
  }
  if (issues.length > 0) return { config: undefined, issues };
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
  const issues: ConfigIssue[] = [];
  const text = readText(sourceFile, '', 'site file', issues);
  if (text === undefined) return { config: undefined, issues };
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      config: undefined,
      issues: doc.errors.map((e) => ({
        path: '',
        message: `not valid YAML at line ${e.linePos?.[0]?.line ?? '?'}: ${e.message.split('\n')[0]}`,
      })),
    };
  }
  return checkSiteData(doc.toJS(), sourceFile, options);
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
