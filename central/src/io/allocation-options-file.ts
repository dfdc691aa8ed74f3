import { readFileSync } from 'node:fs';
import { type AllocationOptions, checkAllocationOptions } from '@citybay/sim';
import { parse as parseYaml } from 'yaml';
import { errors } from '../errors.js';

/**
 * Reads `CITYBAY_ALLOCATION_OPTIONS` (YAML or JSON): the allocator's options for every site, checked by the
 * allocator's own schema. Throws `CB_CENTRAL_CONFIG_INVALID` naming the file and field. No path, no options.
 */
export function loadAllocationOptions(path: string | undefined): AllocationOptions {
  if (path === undefined) return {};
  let document: unknown;
  try {
    document = parseYaml(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw errors.CB_CENTRAL_CONFIG_INVALID(`${path}: cannot read allocation options (${(cause as Error).message})`, {
      path: 'allocationOptionsPath',
      cause,
    });
  }
  return checkAllocationOptions(document ?? {}, path, '', errors.CB_CENTRAL_CONFIG_INVALID);
}

/** A site's allocation options: central's defaults, then the site definition's own, key by key. */
export function siteAllocationOptions(defaults: AllocationOptions, site: { allocation?: unknown }): AllocationOptions {
  return { ...defaults, ...((site.allocation ?? {}) as AllocationOptions) };
}
