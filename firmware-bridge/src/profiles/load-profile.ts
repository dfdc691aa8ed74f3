/**
 * Loads a device profile from a JSON or YAML file, or by the name of a profile shipped in
 * `firmware-bridge/profiles/`.
 */
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { errors } from '../errors.js';
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

/** Parses and validates profile text; `source` names the file in errors. */
export function parseProfile(text: string, source: string): DeviceProfile {
  let data: unknown;
  try {
    data = source.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (cause) {
    throw errors.CB_PROFILE_INVALID(
      `${source}: not valid ${source.endsWith('.json') ? 'JSON' : 'YAML'}: ${(cause as Error).message}`,
      {
        path: '',
        cause,
      },
    );
  }
  return Object.freeze(validateProfile(data, source));
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
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw errors.CB_PROFILE_INVALID(`${file}: cannot read: ${(cause as Error).message}`, { path: '', cause });
  }
  return parseProfile(text, file);
}
