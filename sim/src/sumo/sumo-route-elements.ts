import type { XmlElement } from './sumo-xml-reader.js';
import type { AttributeReader } from './attribute-reader.js';
import type { SumoDemandItem, SumoFlowSpacing, SumoStop } from './sumo-routes.js';
import {
  ARRIVAL_LANE_KEYWORDS,
  ARRIVAL_POS_KEYWORDS,
  ARRIVAL_SPEED_KEYWORDS,
  DEPART_LANE_KEYWORDS,
  DEPART_POS_KEYWORDS,
  DEPART_SPEED_KEYWORDS,
  isKeywordOrNumber,
  parseNumber,
  parseSumoTimeS,
} from './sumo-values.js';

/** SUMO's default flow end when neither `end` nor `number` bounds it (24 h). */
const DEFAULT_FLOW_END_S = 86_400;
/** The largest number of vehicles one flow may expand to, so a typo (`period="0.0001"`) cannot exhaust memory. */
export const MAX_FLOW_VEHICLES = 1_000_000;

/** A `<stop>`: a parkingArea stop (with `duration` or `until`), or another place, kept to be reported. */
export function readStop(r: AttributeReader, element: XmlElement): SumoStop {
  const stop: SumoStop = { source: r.sourceOf(element) };
  const parkingAreaId = element.attributes.parkingArea;
  if (parkingAreaId !== undefined) {
    if (parkingAreaId === '') throw r.fail(element, 'parkingArea', 'empty parkingArea id');
    stop.parkingAreaId = parkingAreaId;
  } else {
    const place = ['busStop', 'containerStop', 'chargingStation', 'trainStop', 'lane', 'edge'].find(
      (name) => element.attributes[name] !== undefined,
    );
    if (place === undefined) throw r.fail(element, undefined, 'a stop needs a place (parkingArea, busStop, lane, …)');
    stop.otherPlace = place;
  }
  const durationS = r.time(element, 'duration');
  const untilS = r.time(element, 'until');
  if (durationS !== undefined) stop.durationS = durationS;
  if (untilS !== undefined) stop.untilS = untilS;
  if (
    stop.parkingAreaId !== undefined &&
    durationS === undefined &&
    untilS === undefined &&
    element.attributes.triggered === undefined
  ) {
    throw r.fail(element, 'duration', 'a parkingArea stop needs duration or until');
  }
  if (element.attributes.triggered !== undefined && element.attributes.triggered !== 'false') {
    throw r.fail(element, 'triggered', 'triggered stops (waiting for persons or containers) are not supported');
  }
  return stop;
}

/**
 * The attributes of a vehicle, trip or flow that change how SUMO inserts, drives or ends the car but not where it
 * goes: citybay's link model does not use them, and export-sumo writes them back as given (SUMO's defaults where none
 * was given), so SUMO runs the export as it runs the source file. Not `departEdge`/`arrivalEdge`: they index the
 * route, and citybay's route may be another one.
 */
export const SUMO_VEHICLE_ATTRIBUTES = [
  'departLane',
  'departPos',
  'departPosLat',
  'departSpeed',
  'arrivalLane',
  'arrivalPos',
  'arrivalPosLat',
  'arrivalSpeed',
  'speedFactor',
] as const;

/** The `SUMO_VEHICLE_ATTRIBUTES` an element gives, in that order. */
export function vehicleAttributesOf(element: XmlElement): Record<string, string> {
  const given: Record<string, string> = {};
  for (const name of SUMO_VEHICLE_ATTRIBUTES) {
    const value = element.attributes[name];
    if (value !== undefined) given[name] = value;
  }
  return given;
}

/** Checks the `depart*`/`arrival*` forms (keywords or numbers) and refuses junction/TAZ/coordinate routing. */
export function checkDepartForms(r: AttributeReader, element: XmlElement): void {
  const checks: Array<[string, readonly string[], boolean]> = [
    ['departPos', DEPART_POS_KEYWORDS, false],
    ['departLane', DEPART_LANE_KEYWORDS, true],
    ['departSpeed', DEPART_SPEED_KEYWORDS, false],
    ['arrivalPos', ARRIVAL_POS_KEYWORDS, false],
    ['arrivalLane', ARRIVAL_LANE_KEYWORDS, true],
    ['arrivalSpeed', ARRIVAL_SPEED_KEYWORDS, false],
  ];
  for (const [attribute, keywords, isIndex] of checks) {
    const value = element.attributes[attribute];
    if (value !== undefined && !isKeywordOrNumber(value, keywords, isIndex)) {
      throw r.fail(
        element,
        attribute,
        `expected ${isIndex ? 'a lane index' : 'a number'} or one of ${keywords.join(', ')}, got "${value}"`,
      );
    }
  }
  for (const attribute of ['fromJunction', 'toJunction', 'fromTaz', 'toTaz', 'fromLonLat', 'fromXY']) {
    if (element.attributes[attribute] !== undefined) {
      throw r.fail(element, attribute, 'routing between junctions, TAZ or coordinates is not supported: give edges');
    }
  }
}

/**
 * A flow's begin, end, spacing and number, as SUMO reads them: exactly one of `vehsPerHour`, `period` (a time or
 * `exp(rate)`), `probability` (per second), or `number` with `begin` and `end` (evenly spaced); `end` defaults to
 * 24 h (unbounded when `number` bounds the flow).
 */
export function readFlowTiming(r: AttributeReader, element: XmlElement, item: SumoDemandItem): void {
  const beginS = element.attributes.begin === 'begin' ? 0 : (r.time(element, 'begin') ?? 0);
  const count = r.number(element, 'number', (n) => Number.isInteger(n) && n >= 0, 'a whole number ≥ 0');
  const given = ['vehsPerHour', 'period', 'probability'].filter((a) => element.attributes[a] !== undefined);
  if (given.length > 1) throw r.fail(element, given[1], `give only one of vehsPerHour, period, probability`);
  let endS = r.time(element, 'end');
  let spacing: SumoFlowSpacing | undefined;
  if (given[0] === 'vehsPerHour') {
    const perHour = r.number(element, 'vehsPerHour', (n) => n > 0, 'a positive number')!;
    spacing = { kind: 'period', periodS: 3600 / perHour };
  } else if (given[0] === 'period') {
    const value = element.attributes.period!;
    const exp = /^exp\((.*)\)$/.exec(value.trim());
    const rate = exp === null ? undefined : parseNumber(exp[1]!);
    if (exp !== null) {
      if (rate === undefined || !(rate > 0))
        throw r.fail(element, 'period', `expected exp(<rate > 0>), got "${value}"`);
      spacing = { kind: 'exponential', ratePerS: rate };
    } else {
      const periodS = parseSumoTimeS(value);
      if (periodS === undefined || !(periodS > 0)) {
        throw r.fail(element, 'period', `expected a positive time or exp(rate), got "${value}"`);
      }
      spacing = { kind: 'period', periodS };
    }
  } else if (given[0] === 'probability') {
    const perSecond = r.number(element, 'probability', (n) => n >= 0 && n <= 1, 'a probability 0–1')!;
    spacing = { kind: 'probability', perSecond };
  } else {
    if (count === undefined) {
      throw r.fail(element, 'number', 'a flow needs vehsPerHour, period, probability, or number with begin and end');
    }
    if (endS === undefined) throw r.fail(element, 'end', 'a flow given by number alone needs an end');
    spacing = { kind: 'period', periodS: count === 0 ? 1 : (endS - beginS) / count };
  }
  endS ??= count === undefined ? DEFAULT_FLOW_END_S : Number.POSITIVE_INFINITY;
  if (endS < beginS) throw r.fail(element, 'end', `end (${endS}) is before begin (${beginS})`);
  if (spacing.kind === 'probability' && count !== undefined) {
    throw r.fail(element, 'number', 'give either probability or number, not both');
  }
  const bound =
    count ??
    (spacing.kind === 'period'
      ? Math.ceil((endS - beginS) / spacing.periodS)
      : spacing.kind === 'exponential'
        ? (endS - beginS) * spacing.ratePerS
        : (endS - beginS) * spacing.perSecond);
  if (bound > MAX_FLOW_VEHICLES) {
    throw r.fail(
      element,
      given[0] ?? 'number',
      `expands to about ${Math.round(bound)} vehicles (most ${MAX_FLOW_VEHICLES})`,
    );
  }
  item.beginS = beginS;
  item.endS = endS;
  item.spacing = spacing;
  if (count !== undefined) item.number = count;
}
