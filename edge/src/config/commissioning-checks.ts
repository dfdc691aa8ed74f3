/**
 * Commissioning mistakes a schema cannot see and the edge would only show at run time (a dead bus,
 * a sign that refuses every write while `/healthz` says ok): two devices answering to one unit id
 * on a bus, a sign on a sensor's unit id, one serial port opened twice, a sign given more lines than
 * it has, and a text sign line that cannot fit (checked with the same renderer and MULTI validator
 * the running driver uses).
 */
import {
  type DeviceProfile,
  multiParseConfig,
  parseMulti,
  renderMulti,
  type SignMessage,
} from '@citybay/firmware-bridge';
import { defaultFallback } from '../core/sign-planner.js';
import type { SiteLayout } from '../core/site-layout.js';
import type { ConfigIssue } from './schema-issues.js';
import type { SignConfig, SiteFile } from './site-config-schema.js';
import { textSignConfigFor } from './text-sign-config.js';

function unitIdClashes(file: SiteFile, issues: ConfigIssue[]): void {
  (file.buses ?? []).forEach((bus, b) => {
    const byUnit = new Map<number, string>();
    bus.devices.forEach((device, d) => {
      const first = byUnit.get(device.unitId);
      if (first !== undefined) {
        issues.push({
          path: `buses[${b}].devices[${d}].unitId`,
          message: `unit id ${device.unitId} is already used on bus "${bus.id}" by ${first}: both would answer every request`,
        });
      } else byUnit.set(device.unitId, `"${device.id}" (buses[${b}].devices[${d}])`);
    });
    (file.signs ?? []).forEach((sign, s) => {
      const driver = sign.driver;
      if (driver.type !== 'modbus' || driver.bus !== bus.id) return;
      const first = byUnit.get(driver.unitId);
      if (first !== undefined) {
        issues.push({
          path: `signs[${s}].driver.unitId`,
          message: `unit id ${driver.unitId} is already used on bus "${bus.id}" by ${first}`,
        });
      } else byUnit.set(driver.unitId, `sign "${sign.id}" (signs[${s}])`);
    });
  });
}

function serialPortClashes(file: SiteFile, issues: ConfigIssue[]): void {
  const users = new Map<string, string>();
  const claim = (path: string | undefined, at: string) => {
    if (path === undefined) return;
    const first = users.get(path);
    if (first !== undefined) issues.push({ path: at, message: `serial port ${path} is already opened by ${first}` });
    else users.set(path, at.replace(/\.path$/, ''));
  };
  (file.buses ?? []).forEach((bus, b) => claim(bus.transport === 'rtu' ? bus.path : undefined, `buses[${b}].path`));
  (file.signs ?? []).forEach((sign, s) =>
    claim(sign.driver.type === 'multi' ? sign.driver.path : undefined, `signs[${s}].driver.path`),
  );
}

/** The largest count a line can show: every bay of its area (or the gate-counted lot's capacity). */
function largestCount(line: SignConfig['lines'][number], layout: SiteLayout): number {
  const gateLot = line.zone === undefined ? layout.gateLots.find((g) => g.lotId === line.lot) : undefined;
  if (gateLot) return gateLot.capacity;
  return layout.bays.filter((bay) => bay.lotId === line.lot && (line.zone === undefined || bay.zoneId === line.zone))
    .length;
}

function textSignFits(
  sign: SignConfig,
  s: number,
  layout: SiteLayout,
  profiles: ReadonlyMap<string, DeviceProfile>,
  issues: ConfigIssue[],
): void {
  const driver = sign.driver;
  if (driver.type !== 'multi') return;
  const profile = driver.profile === undefined ? undefined : profiles.get(driver.profile);
  if (driver.profile !== undefined && profile?.kind !== 'text-sign') {
    const textSigns = [...profiles.values()].filter((p) => p.kind === 'text-sign').map((p) => p.name);
    issues.push({
      path: `signs[${s}].driver.profile`,
      message: `expected a text-sign profile, got "${driver.profile}" (known: ${textSigns.join(', ') || 'none'})`,
    });
    return;
  }
  const profileLines = profile?.multi?.lines;
  if (driver.lines !== undefined && profileLines !== undefined && driver.lines > profileLines) {
    issues.push({
      path: `signs[${s}].driver.lines`,
      message: `${driver.lines} lines, but profile "${profile!.name}" has ${profileLines}`,
    });
    return;
  }
  const config = textSignConfigFor(sign, profiles)!;
  if (sign.lines.length > config.lines) {
    issues.push({
      path: `signs[${s}].lines`,
      message: `${sign.lines.length} lines, but the sign has ${config.lines}${profile ? ` (profile "${profile.name}")` : ''}: every write would be refused`,
    });
    return;
  }
  const parseConfig = { ...multiParseConfig(config), lines: 1 };
  sign.lines.forEach((line, i) => {
    const label = line.label ?? line.lot;
    const fallback = line.fallback ?? defaultFallback(sign);
    const values = [largestCount(line, layout), 'FULL' as const, 'CLOSED' as const, fallback];
    for (const value of values) {
      const message: SignMessage = { lines: [{ label, arrow: line.arrow, value, colour: 'amber' }] };
      const parsed = parseMulti(renderMulti(message, config), parseConfig);
      if (parsed.ok) continue;
      const shown = typeof value === 'object' ? value.text : String(value);
      issues.push({
        path: `signs[${s}].lines[${i}]`,
        message: `"${label}" with ${shown} does not fit the sign (${config.charsPerLine} characters per line): MULTI ${parsed.error}, ${parsed.reason}`,
      });
      return;
    }
  });
}

export function checkCommissioning(
  file: SiteFile,
  layout: SiteLayout,
  profiles: ReadonlyMap<string, DeviceProfile>,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  unitIdClashes(file, issues);
  serialPortClashes(file, issues);
  (file.signs ?? []).forEach((sign, s) => {
    const driver = sign.driver;
    if (driver.type === 'virtual' && driver.lines !== undefined && sign.lines.length > driver.lines) {
      issues.push({
        path: `signs[${s}].lines`,
        message: `${sign.lines.length} lines, but the sign has ${driver.lines}`,
      });
    }
    textSignFits(sign, s, layout, profiles, issues);
  });
  return issues;
}
