/**
 * Loads a device profile from a JSON or YAML file, or by the name of a profile shipped in
 * `firmware-bridge/profiles/`.
 */
import { readdirSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkDataShape, parseYamlSafely, type SafeYamlResult } from '../core/safe-yaml.js';
import { errors } from '../errors.js';
import { readBoundedText } from '../io/bounded-file.js';
import type { DeviceProfile } from './device-profile.js';
import { validateProfile } from './validate-profile.js';

/** Directory of the shipped profiles (same relative place from `src/profiles` and `dist/profiles`). */
export const BUILTIN_PROFILE_DIR = fileURLToPath(new URL('../../profiles/', import.meta.url));

/** Names of the shipped profiles. */
export function builtinProfileNames(): string[] {
  return readdirSync(BUILTIN_PROFILE_DIR)
    .filter((file) => /\.(ya?ml|json)$/.test(file) && !file.endsWith('.schema.json'))
    .map((file) => basename(file, extname(file)))
    .sort();
}

/**
 * Largest profile file read, in bytes: a 64-register profile is about 2 kB, and parsing YAML costs about
 * 1 ms of CPU per kB, so this also bounds how long one profile can hold the event loop.
 */
export const MAX_PROFILE_BYTES = 64 * 1024;

function parseJson(text: string): SafeYamlResult {
  try {
    return checkDataShape(JSON.parse(text));
  } catch (cause) {
    return { ok: false, path: '', message: `not valid JSON: ${(cause as Error).message}` };
  }
}

/** Parses and validates profile text; `source` names the file in errors. */
export function parseProfile(text: string, source: string): DeviceProfile {
  if (text.length > MAX_PROFILE_BYTES) {
    throw errors.CB_PROFILE_INVALID(
      `${source}: ${text.length} characters, a profile has at most ${MAX_PROFILE_BYTES}`,
      {
        path: '',
      },
    );
  }
  const parsed = source.endsWith('.json') ? parseJson(text) : parseYamlSafely(text);
  if (!parsed.ok) {
    throw errors.CB_PROFILE_INVALID(`${source}: ${parsed.path === '' ? '' : `${parsed.path}: `}${parsed.message}`, {
      path: parsed.path,
    });
  }
  return Object.freeze(validateProfile(parsed.data, source));
}

/** Loads a profile by shipped name (`bit-per-bay-64`) or by path (`./my-device.yaml`). */
export async function loadProfile(nameOrPath: string): Promise<DeviceProfile> {
  const isPath = /[/\\]/.test(nameOrPath) || /\.(ya?ml|json)$/.test(nameOrPath);
  let file = nameOrPath;
  if (!isPath) {
    const names = builtinProfileNames();
    if (!names.includes(nameOrPath)) {
      throw errors.CB_PROFILE_INVALID(`${nameOrPath}: unknown profile (known: ${names.join(', ')})`, { path: '' });
    }
    const match = readdirSync(BUILTIN_PROFILE_DIR).find(
      (f) => basename(f, extname(f)) === nameOrPath && /\.(ya?ml|json)$/.test(f) && !f.endsWith('.schema.json'),
    )!;
    file = `${BUILTIN_PROFILE_DIR}${match}`;
  }
  const read = readBoundedText(file, MAX_PROFILE_BYTES);
  if (!read.ok) throw errors.CB_PROFILE_INVALID(`${file}: cannot read: ${read.message}`, { path: '' });
  return parseProfile(read.text, file);
}
