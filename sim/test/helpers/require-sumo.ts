import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Where Debian's sumo-tools puts SUMO's tools and example networks. */
export const SUMO_TOOLS = '/usr/share/sumo/tools';

/**
 * Fails (never skips) when SUMO or its tools are missing: `npm test` provisions them (as root it installs them).
 * Call it at the top of a test that runs `sumo`/`netconvert` or reads SUMO's shipped examples.
 */
export function requireSumo(): void {
  const hasSumo = spawnSync('sumo', ['--version'], { encoding: 'utf8' }).status === 0;
  if (!hasSumo || !existsSync(SUMO_TOOLS)) {
    throw new Error(
      'sumo or sumo-tools is missing (Debian packages sumo, sumo-tools): run `npm test` or `sudo apt-get install sumo sumo-tools`',
    );
  }
}
