/**
 * The files a site file names: device profiles, the edge secret, the CA of central's certificate.
 * Each is read as a regular file with a size cap, so a path to `/dev/zero` or a FIFO fails at once
 * with an issue naming the field, instead of reading forever or hanging `check`.
 */
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  BUILTIN_PROFILE_DIR,
  builtinProfileNames,
  type DeviceProfile,
  MAX_PROFILE_BYTES,
  parseProfile,
  readBoundedText,
} from '@citybay/firmware-bridge';
import type { ConfigIssue } from './schema-issues.js';
import type { SiteFile } from './site-config-schema.js';

/** The edge secret format printed by central's admin CLI: `cbk_` + 43 base64url characters (256 bits). */
export const EDGE_SECRET_PATTERN = /^cbk_[A-Za-z0-9_-]{43}$/;
/** Largest secret file read, in bytes (a secret is 47 characters). */
export const MAX_SECRET_FILE_BYTES = 4096;
/** Largest CA file read, in bytes (a certificate chain is a few kB). */
export const MAX_CA_FILE_BYTES = 1024 * 1024;

function readText(file: string, path: string, what: string, maxBytes: number, issues: ConfigIssue[]) {
  const read = readBoundedText(file, maxBytes);
  if (read.ok) return read.text;
  issues.push({ path, message: `cannot read ${what} ${file}: ${read.message}` });
  return undefined;
}

function parseProfileFile(file: string, path: string, issues: ConfigIssue[]): DeviceProfile | undefined {
  const text = readText(file, path, 'profile', MAX_PROFILE_BYTES, issues);
  if (text === undefined) return undefined;
  try {
    return parseProfile(text, file);
  } catch (err) {
    issues.push({ path, message: (err as Error).message });
    return undefined;
  }
}

// The shipped profiles are part of the installed package: parsed once per process, not at every check.
const shippedProfiles = new Map<string, DeviceProfile | undefined>();

function shippedProfile(name: string, issues: ConfigIssue[]): DeviceProfile | undefined {
  if (!shippedProfiles.has(name)) {
    const fileName = readdirSync(BUILTIN_PROFILE_DIR).find((f) => f.replace(/\.(ya?ml|json)$/, '') === name);
    const found: ConfigIssue[] = [];
    const profile =
      fileName === undefined ? undefined : parseProfileFile(resolve(BUILTIN_PROFILE_DIR, fileName), 'profiles', found);
    issues.push(...found);
    if (found.length === 0) shippedProfiles.set(name, profile);
    return profile;
  }
  return shippedProfiles.get(name);
}

/** Profiles listed in the site file, then the shipped ones the devices and signs name. */
export function loadProfiles(file: SiteFile, baseDir: string, issues: ConfigIssue[]): Map<string, DeviceProfile> {
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
    ...(file.signs ?? []).flatMap((sign) =>
      sign.driver.type === 'modbus' || (sign.driver.type === 'multi' && sign.driver.profile !== undefined)
        ? [sign.driver.profile!]
        : [],
    ),
  ]);
  const shipped = new Set(builtinProfileNames());
  for (const name of wanted) {
    if (profiles.has(name) || !shipped.has(name)) continue;
    const profile = shippedProfile(name, issues);
    if (profile) profiles.set(name, profile);
  }
  return profiles;
}

/** The secret from `CITYBAY_EDGE_SECRET`, else `central.secretFile`, else `central.secret`; never echoed. */
export function resolveSecret(
  file: SiteFile,
  baseDir: string,
  env: Record<string, string | undefined>,
  issues: ConfigIssue[],
): string {
  let secret = env.CITYBAY_EDGE_SECRET;
  let path = 'central.secret';
  if (secret === undefined && file.central.secretFile !== undefined) {
    path = 'central.secretFile';
    const text = readText(
      resolve(baseDir, file.central.secretFile),
      path,
      'secret file',
      MAX_SECRET_FILE_BYTES,
      issues,
    );
    if (text === undefined) return '';
    secret = text.trim();
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

export function readCaFile(file: string, issues: ConfigIssue[]): string | undefined {
  return readText(file, 'central.caFile', 'CA file', MAX_CA_FILE_BYTES, issues);
}
