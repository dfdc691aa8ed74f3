import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Prefix of every edge secret and API key, so leaked ones are easy to find by secret scanners. */
export const SECRET_PREFIX = 'cbk_';

/** A new random 256-bit secret, `cbk_` + 43 base64url characters. Shown once, stored only as a hash. */
export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64url');
}

/** SHA-256 of a secret, hex. A random 256-bit token needs no slow KDF. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** True when `secret` hashes to one of `hashes` (constant time per comparison). */
export function matchesAnyHash(secret: string, hashes: readonly string[]): boolean {
  const candidate = Buffer.from(hashSecret(secret), 'hex');
  let isMatch = false;
  for (const hash of hashes) {
    const stored = Buffer.from(hash, 'hex');
    if (stored.length === candidate.length && timingSafeEqual(stored, candidate)) isMatch = true;
  }
  return isMatch;
}

/** Splits an `Authorization: Basic …` header into user and password; undefined when it is not one. */
export function parseBasicAuth(header: string | undefined): { user: string; password: string } | undefined {
  if (!header) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** The `Authorization` header value an edge sends. */
export function basicAuthHeader(edgeId: string, secret: string): string {
  return `Basic ${Buffer.from(`${edgeId}:${secret}`, 'utf8').toString('base64')}`;
}
