import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errors } from '../errors.js';

/** The repository root: `scripts/src/stack` and `scripts/dist/stack` both sit three levels below it. */
export const REPO_ROOT = resolve(fileURLToPath(new URL('../../../', import.meta.url)));

/**
 * `dist`: the built JavaScript (what `npm start` runs after `npm run build`); `source`: the TypeScript sources
 * through tsx (tests, no build needed).
 */
export type RunMode = 'dist' | 'source';

/** The node command line that runs one package's CLI (`central`, `citybay-central`) in `mode`. */
export function cliCommand(mode: RunMode, pkg: string, cli: string): { command: string; args: string[] } {
  if (mode === 'source') {
    const file = resolve(REPO_ROOT, pkg, 'src/cli', `${cli}.ts`);
    if (!existsSync(file)) {
      throw errors.CB_START_DEPENDENCY_MISSING(`${pkg}: ${file} is missing: this checkout lacks the ${cli} command`);
    }
    return { command: process.execPath, args: ['--conditions=@citybay/source', '--import', 'tsx', file] };
  }
  const file = resolve(REPO_ROOT, pkg, 'dist/cli', `${cli}.js`);
  if (!existsSync(file)) {
    throw errors.CB_START_DEPENDENCY_MISSING(
      `${pkg}: ${file} is missing: build first with \`npm run build\` (npm start does)`,
    );
  }
  return { command: process.execPath, args: [file] };
}

/** The run mode of this very process: running from `dist/` means built code. */
export function currentRunMode(): RunMode {
  return fileURLToPath(import.meta.url).includes(`${'/scripts/dist/'}`) ? 'dist' : 'source';
}
