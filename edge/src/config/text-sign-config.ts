/**
 * The MULTI text sign a `multi` sign driver of the site file describes: its `text-sign` profile (lines,
 * characters, fonts, arrow glyphs, line layout), with the driver's own `lines` and `charsPerLine` over
 * it. One place, so that `check` validates what the running driver will send.
 */
import { type DeviceProfile, type MultiTextSignConfig, textSignConfig } from '@citybay/firmware-bridge';
import type { SignConfig } from './site-config-schema.js';

/** Characters per line of a MULTI sign whose size nobody gave. */
export const DEFAULT_TEXT_SIGN_CHARS = 16;

export function textSignConfigFor(
  sign: SignConfig,
  profiles: ReadonlyMap<string, DeviceProfile>,
): MultiTextSignConfig | undefined {
  const driver = sign.driver;
  if (driver.type !== 'multi') return undefined;
  const profile = driver.profile === undefined ? undefined : profiles.get(driver.profile);
  const base: MultiTextSignConfig =
    profile?.kind === 'text-sign'
      ? textSignConfig(profile)
      : { lines: sign.lines.length, charsPerLine: DEFAULT_TEXT_SIGN_CHARS };
  return {
    ...base,
    ...(driver.lines === undefined ? {} : { lines: driver.lines }),
    ...(driver.charsPerLine === undefined ? {} : { charsPerLine: driver.charsPerLine }),
  };
}
