import { readFileSync } from 'node:fs';
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parse as parseYaml } from 'yaml';
import { errors } from '../errors.js';
import { hashSecret, matchesAnyHash } from './credentials.js';

/** Who may call which API: hospital systems (appointments), engineers (scenarios), operators (directives). */
export const API_ROLES = ['hospital', 'engineer', 'operator'] as const;
export type ApiRole = (typeof API_ROLES)[number];

export const ApiKeysFileSchema = Type.Object(
  {
    keys: Type.Array(
      Type.Object(
        {
          /** Who holds the key, e.g. the hospital system's name. */
          id: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$' }),
          role: Type.Union(API_ROLES.map((r) => Type.Literal(r))),
          /** Sites this key may act on; absent = all. */
          sites: Type.Optional(Type.Array(Type.String())),
          /** SHA-256 of the key, hex. */
          sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ApiKeysFile = Static<typeof ApiKeysFileSchema>;
export type ApiKeyHolder = Omit<ApiKeysFile['keys'][number], 'sha256'>;

/** Verifies API keys against the hashes of the keys file. */
export class ApiKeyring {
  constructor(private readonly file: ApiKeysFile = { keys: [] }) {}

  /** The holder of `key` when it is valid for `role`. */
  verify(key: string | undefined, role: ApiRole): ApiKeyHolder | undefined {
    if (!key) return undefined;
    const entry = this.file.keys.find((k) => k.role === role && matchesAnyHash(key, [k.sha256]));
    if (!entry) return undefined;
    const { sha256: _hash, ...holder } = entry;
    return holder;
  }

  /** Every entry `key` is valid for (one per role it was issued for), without their hashes. */
  holdersOf(key: string): ApiKeyHolder[] {
    return this.file.keys.filter((k) => matchesAnyHash(key, [k.sha256])).map(({ sha256: _hash, ...holder }) => holder);
  }

  get size(): number {
    return this.file.keys.length;
  }
}

export function apiKeysFromDocument(document: unknown, fileName: string): ApiKeysFile {
  const first = [...Value.Errors(ApiKeysFileSchema, document)][0];
  if (first) {
    const path = first.path
      .split('/')
      .slice(1)
      .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))
      .join('')
      .replace(/^\./, '');
    throw errors.CB_KEYS_INVALID(`${fileName}: ${path || '(root)'}: ${first.message}`, { path });
  }
  return document as ApiKeysFile;
}

/** Reads a keys file (YAML or JSON); a missing file is an empty keyring. */
export function loadApiKeys(path: string | undefined): ApiKeyring {
  if (!path) return new ApiKeyring();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return new ApiKeyring();
    throw errors.CB_KEYS_INVALID(`${path}: cannot be read (${(cause as Error).message})`, { cause });
  }
  let document: unknown;
  try {
    document = parseYaml(text) ?? { keys: [] };
  } catch (cause) {
    throw errors.CB_KEYS_INVALID(`${path}: not valid YAML/JSON (${(cause as Error).message})`, { cause });
  }
  return new ApiKeyring(apiKeysFromDocument(document, path));
}

export { hashSecret };
