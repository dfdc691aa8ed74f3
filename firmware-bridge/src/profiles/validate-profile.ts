/**
 * Validates a parsed profile document: the TypeBox schema first, then the rules a schema cannot say
 * (table fits the decode type, counts match, bays within `bayCount`, poll groups exist). Every
 * failure is `CB_PROFILE_INVALID` naming the source and the path of the bad field.
 */
import { Value } from '@sinclair/typebox/value';
import { errors } from '../errors.js';
import { type DeviceProfile, DeviceProfileSchema, type ProfilePoint } from './device-profile.js';

export function validateProfile(data: unknown, source: string): DeviceProfile {
  const first = Value.Errors(DeviceProfileSchema, data).First();
  if (first !== undefined) {
    const path = jsonPointerToPath(first.path);
    throw errors.CB_PROFILE_INVALID(`${source}: ${path || '(root)'}: ${first.message}, got ${show(first.value)}`, {
      path,
    });
  }
  const profile = data as DeviceProfile;
  const fail = (path: string, message: string): never => {
    throw errors.CB_PROFILE_INVALID(`${source}: ${path}: ${message}`, { path });
  };
  const names = new Set<string>();
  profile.points.forEach((point, i) => {
    const at = `points[${i}]`;
    if (names.has(point.name)) fail(`${at}.name`, `duplicate point name "${point.name}"`);
    names.add(point.name);
    const group = point.pollGroup ?? 'default';
    if (profile.pollGroups[group] === undefined) {
      fail(`${at}.pollGroup`, `unknown poll group "${group}" (known: ${Object.keys(profile.pollGroups).join(', ')})`);
    }
    if (point.address + point.count > 0x10000) fail(`${at}.count`, 'the point runs past address 65535');
    checkDecode(point, at, profile.bayCount, fail);
  });
  if (profile.kind === 'sign' && profile.sign === undefined)
    fail('sign', 'a profile of kind "sign" needs a sign section');
  if (profile.kind === 'bay-controller' && profile.bayCount === 0) fail('bayCount', 'a bay controller needs bays');
  if (profile.kind === 'text-sign') {
    const multi = profile.multi ?? fail('multi', 'a profile of kind "text-sign" needs a multi section');
    const fonts = multi.fonts ?? [1];
    if (!fonts.includes(multi.defaultFont ?? 1)) {
      fail('multi.defaultFont', `font ${multi.defaultFont ?? 1} is not in fonts (${fonts.join(', ')})`);
    }
  }
  return profile;
}

function checkDecode(
  point: ProfilePoint,
  at: string,
  bayCount: number,
  fail: (path: string, message: string) => never,
): void {
  const isBits = point.register === 'coil' || point.register === 'discrete';
  const decode = point.decode;
  if (isBits !== (decode.type === 'bit-per-bay')) {
    fail(`${at}.decode.type`, `"${decode.type}" cannot decode ${point.register} ${isBits ? 'bits' : 'registers'}`);
  }
  if (!isBits && point.count > 125) fail(`${at}.count`, 'at most 125 registers per point');
  const baysEnd = (first: number | undefined, bays: number) => {
    if ((first ?? 0) + bays > bayCount)
      fail(`${at}.count`, `bays ${first ?? 0}..${(first ?? 0) + bays - 1} exceed bayCount ${bayCount}`);
  };
  switch (decode.type) {
    case 'bit-per-bay':
    case 'register-per-bay':
      baysEnd(decode.firstBay, point.count);
      return;
    case 'packed': {
      const words = Math.ceil((decode.bays * decode.bitsPerBay) / 16);
      if (point.count !== words)
        fail(`${at}.count`, `${decode.bays} bays of ${decode.bitsPerBay} bits need ${words} registers`);
      baysEnd(decode.firstBay, decode.bays);
      return;
    }
    case 'counter':
    case 'value': {
      const words = (decode.width ?? 16) / 16;
      if (point.count !== words) fail(`${at}.count`, `a ${decode.width ?? 16}-bit value needs ${words} register(s)`);
      return;
    }
    case 'status':
      if (point.count !== 1) fail(`${at}.count`, 'a status point is one register');
      return;
  }
}

function jsonPointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^[0-9]+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

// Bounded whatever the value: an error on a list of thousands of points must not print them all.
function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (value !== null && typeof value === 'object') return 'an object';
  if (typeof value === 'string' && value.length > 57) return `${JSON.stringify(value.slice(0, 57))}...`;
  return JSON.stringify(value) ?? String(value);
}
