import { SeededRandom } from '@citybay/common';
import type { Trip } from '../traffic/trip.js';
import { drawTruncatedNormal, subSeed, type TruncatedNormal } from './distributions.js';

/**
 * What a vType says about its drivers' speed: the distribution of the factor on the lane speed limit each driver keeps
 * (SUMO's `speedFactor` / `speedDev`) and the car's own top speed (`maxSpeed`, m/s).
 */
export interface DriverSpeed {
  factor: TruncatedNormal;
  maxSpeedMps: number;
}

/**
 * SUMO's default passenger car: speedFactor normc(1, 0.1, 0.2, 2), maxSpeed 55.56 m/s (200 km/h). citybay's own cars
 * (appointments, background flows) are exported with a vType of maxSpeed 50 and SUMO's default speed factor; they
 * draw from `CITYBAY_CAR_SPEED`.
 */
export const SUMO_PASSENGER_SPEED: Readonly<DriverSpeed> = Object.freeze({
  factor: Object.freeze({ mean: 1, sd: 0.1, min: 0.2, max: 2 }),
  maxSpeedMps: 55.56,
});
export const CITYBAY_CAR_SPEED: Readonly<DriverSpeed> = Object.freeze({ ...SUMO_PASSENGER_SPEED, maxSpeedMps: 50 });

const DISTRIBUTION = /^\s*(normc|norm)\s*\(([^)]*)\)\s*$/;

/**
 * A vType's driver speed from its attributes, as SUMO reads them: `speedFactor` a number (the mean; the deviation is
 * `speedDev`, default 0.1, cut to [0.2, 2]) or `norm(mean, dev)` / `normc(mean, dev, min, max)`; `speedDev` given
 * beside either sets the deviation; `maxSpeed` in m/s. What it cannot read falls back to the default passenger car.
 */
export function driverSpeedOf(attributes: Readonly<Record<string, string>>): DriverSpeed {
  const base = SUMO_PASSENGER_SPEED.factor;
  let factor: TruncatedNormal = { ...base };
  const given = attributes.speedFactor;
  const match = given === undefined ? null : DISTRIBUTION.exec(given);
  if (match !== null) {
    const [mean, sd, min, max] = match[2]!.split(',').map((s) => Number(s.trim()));
    if (Number.isFinite(mean) && Number.isFinite(sd)) {
      factor =
        match[1] === 'normc' && Number.isFinite(min) && Number.isFinite(max)
          ? { mean: mean!, sd: sd!, min: min!, max: max! }
          : { mean: mean!, sd: sd!, min: base.min!, max: base.max! };
    }
  } else if (given !== undefined && Number.isFinite(Number(given)) && Number(given) > 0) {
    factor = { ...base, mean: Number(given) };
  }
  const speedDev = Number(attributes.speedDev);
  if (attributes.speedDev !== undefined && Number.isFinite(speedDev) && speedDev >= 0)
    factor = { ...factor, sd: speedDev };
  const maxSpeed = Number(attributes.maxSpeed);
  return {
    factor,
    maxSpeedMps: attributes.maxSpeed !== undefined && maxSpeed > 0 ? maxSpeed : SUMO_PASSENGER_SPEED.maxSpeedMps,
  };
}

/** FNV-1a of a trip id: a car's draw depends on its id and the seed alone, not on which other cars the run has. */
function idHash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * The speed factor of the driver of trip `tripId` in a run seeded `seed`: one draw from `speed.factor` on a stream of
 * its own (the seed and the id), so a car keeps its driver across policies, and no other draw moves when one is added.
 */
export function drawSpeedFactor(seed: number, tripId: string, speed: Readonly<DriverSpeed>): number {
  const random = new SeededRandom(subSeed(seed, idHash(tripId)));
  const factor = drawTruncatedNormal(random, speed.factor);
  return factor > 0 ? factor : speed.factor.mean;
}

/** `trips` with each driver's speed factor and top speed drawn (trips that have one keep it). */
export function withSpeedFactors(trips: readonly Trip[], seed: number, speed: Readonly<DriverSpeed>): Trip[] {
  return trips.map((trip) =>
    trip.speedFactor !== undefined
      ? trip
      : { ...trip, speedFactor: drawSpeedFactor(seed, trip.id, speed), maxSpeedMps: speed.maxSpeedMps },
  );
}
