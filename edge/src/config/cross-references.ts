import { builtinProfileNames, type DeviceProfile } from '@citybay/firmware-bridge';
import type { SiteLayout } from '../core/site-layout.js';
import type { ConfigIssue } from './schema-issues.js';
import type { CountSourceConfig, SiteFile } from './site-config-schema.js';

function duplicates<T>(items: readonly T[], idOf: (item: T) => string, pathOf: (i: number) => string): ConfigIssue[] {
  const seen = new Map<string, number>();
  const issues: ConfigIssue[] = [];
  items.forEach((item, i) => {
    const id = idOf(item);
    const first = seen.get(id);
    if (first === undefined) seen.set(id, i);
    else issues.push({ path: pathOf(i), message: `"${id}" is already used at ${pathOf(first)}` });
  });
  return issues;
}

const known = (names: Iterable<string>): string => {
  const list = [...names];
  return list.length === 0 ? 'none defined' : `known: ${list.join(', ')}`;
};

/** Everything the schema cannot see: ids that must exist, be unique, fit the device they name. */
export function checkCrossReferences(
  file: SiteFile,
  layout: SiteLayout,
  profiles: ReadonlyMap<string, DeviceProfile>,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const buses = file.buses ?? [];
  issues.push(
    ...duplicates(
      buses,
      (b) => b.id,
      (i) => `buses[${i}].id`,
    ),
  );

  const devices = new Map<string, { profile: DeviceProfile | undefined; path: string }>();
  buses.forEach((bus, b) => {
    bus.devices.forEach((device, d) => {
      const path = `buses[${b}].devices[${d}]`;
      const first = devices.get(device.id);
      if (first) issues.push({ path: `${path}.id`, message: `"${device.id}" is already used at ${first.path}` });
      const profile = profiles.get(device.profile);
      if (!profile) {
        issues.push({
          path: `${path}.profile`,
          message: `unknown profile "${device.profile}" (${known(new Set([...profiles.keys(), ...builtinProfileNames()]))})`,
        });
      } else if (profile.kind === 'sign') {
        issues.push({
          path: `${path}.profile`,
          message: `"${device.profile}" is a sign profile; signs go under signs[]`,
        });
      }
      if (bus.transport === 'rtu' && (device.unitId < 1 || device.unitId > 247)) {
        issues.push({ path: `${path}.unitId`, message: `expected 1–247 on an RTU bus, got ${device.unitId}` });
      }
      if (profile) {
        for (const group of Object.keys(device.pollIntervalsMs ?? {})) {
          if (!(group in profile.pollGroups)) {
            issues.push({
              path: `${path}.pollIntervalsMs.${group}`,
              message: `profile "${profile.name}" has no poll group "${group}" (${known(Object.keys(profile.pollGroups))})`,
            });
          }
        }
      }
      if (!first) devices.set(device.id, { profile, path });
    });
  });

  issues.push(
    ...duplicates(
      file.lots,
      (l) => l.id,
      (i) => `lots[${i}].id`,
    ),
  );
  file.lots.forEach((lot, l) => {
    if ((lot.zones ?? []).length === 0 && lot.gateCounting === undefined) {
      issues.push({ path: `lots[${l}]`, message: 'needs zones with bays, or gateCounting (or both)' });
    }
    issues.push(
      ...duplicates(
        lot.zones ?? [],
        (z) => z.id,
        (i) => `lots[${l}].zones[${i}].id`,
      ),
    );
  });

  const bayIds = new Map<string, string>();
  const deviceBayUse = new Map<string, string>();
  const beyond = new Set<string>();
  for (const bay of layout.bays) {
    const first = bayIds.get(bay.id);
    if (first !== undefined) issues.push({ path: bay.path, message: `bay id "${bay.id}" is already used at ${first}` });
    else bayIds.set(bay.id, bay.path);
    if (bay.deviceId === undefined) continue;
    const device = devices.get(bay.deviceId);
    if (!device) {
      issues.push({
        path: `${bay.path}.device`,
        message: `unknown device "${bay.deviceId}" (${known(devices.keys())})`,
      });
      continue;
    }
    const profile = device.profile;
    if (profile && bay.deviceBay! >= profile.bayCount) {
      if (!beyond.has(bay.path)) {
        beyond.add(bay.path);
        issues.push({
          path: bay.path,
          message: `device bay ${bay.deviceBay} of "${bay.deviceId}" and those after it do not exist: the device has ${profile.bayCount} bays (profile "${profile.name}")`,
        });
      }
      continue;
    }
    const key = `${bay.deviceId}#${bay.deviceBay}`;
    const used = deviceBayUse.get(key);
    if (used !== undefined && used !== bay.path) {
      issues.push({
        path: bay.path,
        message: `bay ${bay.deviceBay} of device "${bay.deviceId}" is already mapped at ${used}`,
      });
    } else {
      deviceBayUse.set(key, bay.path);
    }
  }
  const unique = new Map(issues.map((i) => [`${i.path}|${i.message}`, i]));

  const inputs = new Set((file.gpio?.inputs ?? []).map((i) => i.id));
  const checkSource = (source: CountSourceConfig, path: string): void => {
    if ('gpio' in source) {
      if (!inputs.has(source.gpio)) {
        unique.set(path, { path: `${path}.gpio`, message: `unknown GPIO input "${source.gpio}" (${known(inputs)})` });
      }
      return;
    }
    const device = devices.get(source.device);
    if (!device) {
      unique.set(path, {
        path: `${path}.device`,
        message: `unknown device "${source.device}" (${known(devices.keys())})`,
      });
      return;
    }
    const counters = (device.profile?.points ?? []).filter((p) => p.decode.type === 'counter').map((p) => p.name);
    if (device.profile && !counters.includes(source.counter)) {
      unique.set(path, {
        path: `${path}.counter`,
        message: `profile "${device.profile.name}" has no counter "${source.counter}" (${known(counters)})`,
      });
    }
  };
  file.lots.forEach((lot, l) => {
    lot.gateCounting?.gates.forEach((gate, g) => {
      checkSource(gate.entries, `lots[${l}].gateCounting.gates[${g}].entries`);
      checkSource(gate.exits, `lots[${l}].gateCounting.gates[${g}].exits`);
    });
  });

  const signs = file.signs ?? [];
  for (const issue of duplicates(
    signs,
    (s) => s.id,
    (i) => `signs[${i}].id`,
  ))
    unique.set(issue.path, issue);
  signs.forEach((sign, s) => {
    sign.lines.forEach((line, i) => {
      const path = `signs[${s}].lines[${i}]`;
      const lot = file.lots.find((x) => x.id === line.lot);
      if (!lot) {
        unique.set(path, {
          path: `${path}.lot`,
          message: `unknown lot "${line.lot}" (${known(file.lots.map((x) => x.id))})`,
        });
      } else if (line.zone !== undefined && !(lot.zones ?? []).some((z) => z.id === line.zone)) {
        unique.set(path, {
          path: `${path}.zone`,
          message: `lot "${lot.id}" has no zone "${line.zone}" (${known((lot.zones ?? []).map((z) => z.id))})`,
        });
      }
    });
    const driver = sign.driver;
    if (driver.type === 'modbus') {
      sign.lines.forEach((line, i) => {
        if (typeof line.fallback === 'object') {
          const path = `signs[${s}].lines[${i}].fallback`;
          unique.set(path, { path, message: 'a Modbus register sign shows no text: expected "FULL" or "CLOSED"' });
        }
      });
      const path = `signs[${s}].driver`;
      if (!buses.some((b) => b.id === driver.bus)) {
        unique.set(`${path}.bus`, {
          path: `${path}.bus`,
          message: `unknown bus "${driver.bus}" (${known(buses.map((b) => b.id))})`,
        });
      }
      const profile = profiles.get(driver.profile);
      if (profile?.kind !== 'sign' || !profile.sign) {
        const signProfiles = [...profiles.values()].filter((p) => p.kind === 'sign').map((p) => p.name);
        unique.set(`${path}.profile`, {
          path: `${path}.profile`,
          message: `expected a sign profile, got "${driver.profile}" (${known(signProfiles)})`,
        });
      } else if (profile.sign.lines.length < sign.lines.length) {
        unique.set(`signs[${s}].lines`, {
          path: `signs[${s}].lines`,
          message: `${sign.lines.length} lines, but profile "${profile.name}" has ${profile.sign.lines.length}`,
        });
      }
    }
  });

  const gpio = file.gpio;
  if (gpio) {
    const owners = new Map<string, string>();
    const byLine = new Map<number, string>();
    const lines = [
      ...(gpio.inputs ?? []).map((x, i) => ({ ...x, path: `gpio.inputs[${i}]` })),
      ...(gpio.outputs ?? []).map((x, i) => ({ ...x, path: `gpio.outputs[${i}]` })),
    ];
    for (const x of lines) {
      const owner = owners.get(x.id);
      if (owner !== undefined)
        unique.set(`${x.path}.id`, { path: `${x.path}.id`, message: `"${x.id}" is already used at ${owner}` });
      else owners.set(x.id, x.path);
      const other = byLine.get(x.line);
      if (other !== undefined)
        unique.set(`${x.path}.line`, { path: `${x.path}.line`, message: `line ${x.line} is already used at ${other}` });
      else byLine.set(x.line, x.path);
    }
  }
  return [...unique.values()];
}
