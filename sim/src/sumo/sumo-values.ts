/** Parsers for SUMO's attribute value forms (times, positions, vehicle classes), shared by the SUMO readers. */

/**
 * A SUMO time: seconds (`25200`, `25200.5`) or `[[d:]h:]m:s` (`7:00:00`, `1:07:00:00`), as SUMO accepts since 1.5.
 * Returns undefined for anything else (negative times included).
 */
export function parseSumoTimeS(value: string): number | undefined {
  const text = value.trim();
  if (text === '') return undefined;
  if (!text.includes(':')) {
    const seconds = Number(text);
    return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
  }
  const parts = text.split(':');
  if (parts.length < 3 || parts.length > 4) return undefined;
  const numbers = parts.map((part) => (/^\d+(\.\d+)?$/.test(part) ? Number(part) : Number.NaN));
  if (numbers.some((n) => !Number.isFinite(n))) return undefined;
  const [s = 0, m = 0, h = 0, d = 0] = numbers.reverse();
  if (m >= 60 || s >= 60) return undefined;
  return ((d * 24 + h) * 60 + m) * 60 + s;
}

/** A finite number, or undefined. */
export function parseNumber(value: string): number | undefined {
  if (value.trim() === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

/** `departPos` keywords SUMO knows (besides a position in metres, negative = from the lane's end). */
export const DEPART_POS_KEYWORDS = ['random', 'free', 'random_free', 'base', 'last', 'stop', 'splitFront'] as const;
export const DEPART_LANE_KEYWORDS = ['random', 'free', 'allowed', 'best', 'first'] as const;
export const DEPART_SPEED_KEYWORDS = ['random', 'max', 'desired', 'speedLimit', 'last', 'avg'] as const;
export const ARRIVAL_POS_KEYWORDS = ['random', 'max'] as const;
export const ARRIVAL_LANE_KEYWORDS = ['current'] as const;
export const ARRIVAL_SPEED_KEYWORDS = ['current'] as const;

/** True when `value` is one of `keywords` or a number (a lane index must be a whole number ≥ 0). */
export function isKeywordOrNumber(value: string, keywords: readonly string[], isIndex = false): boolean {
  if (keywords.includes(value)) return true;
  const number = parseNumber(value);
  if (number === undefined) return false;
  return !isIndex || (Number.isInteger(number) && number >= 0);
}

/**
 * How citybay runs a SUMO vehicle class: `car` as a passenger car; `car-like` as a passenger car too, with a warning
 * (size, speed and lane permissions of trucks, buses and motorcycles are not modelled); `skipped` not at all
 * (pedestrians, bicycles, rail and ships do not use the car lanes the link model represents).
 */
export type VehicleClassUse = 'car' | 'car-like' | 'skipped';

const CLASS_USE: Readonly<Record<string, VehicleClassUse>> = {
  passenger: 'car',
  private: 'car',
  taxi: 'car',
  hov: 'car',
  emergency: 'car',
  authority: 'car',
  army: 'car',
  vip: 'car',
  evehicle: 'car',
  custom1: 'car',
  custom2: 'car',
  delivery: 'car-like',
  truck: 'car-like',
  trailer: 'car-like',
  bus: 'car-like',
  coach: 'car-like',
  motorcycle: 'car-like',
  moped: 'skipped',
  bicycle: 'skipped',
  pedestrian: 'skipped',
  tram: 'skipped',
  rail_urban: 'skipped',
  rail: 'skipped',
  rail_electric: 'skipped',
  rail_fast: 'skipped',
  ship: 'skipped',
  ignoring: 'skipped',
};

/** The use of a SUMO `vClass`, or undefined when SUMO has no such class. */
export function vehicleClassUse(vClass: string): VehicleClassUse | undefined {
  return CLASS_USE[vClass];
}

export const KNOWN_VEHICLE_CLASSES = Object.keys(CLASS_USE);
