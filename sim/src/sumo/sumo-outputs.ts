import { errors } from '../errors.js';
import { readXmlElements } from './sumo-xml-reader.js';

/** One `<tripinfo>` of SUMO's `--tripinfo-output` (times in s, SUMO time). */
export interface SumoTripinfo {
  id: string;
  /** When the car entered the network (SUMO's `depart`: the actual insertion). */
  departS: number;
  /** Insertion minus wanted departure (`departDelay`). */
  departDelayS: number;
  /** `arrival`, NaN for a car still driving at the end (`write-unfinished`). */
  arrivalS: number;
  isArrived: boolean;
  routeLengthM: number;
  timeLossS: number;
  stopTimeS: number;
}

/** One `<stopinfo>` of SUMO's `--stop-output`. */
export interface SumoStopinfo {
  vehicleId: string;
  laneId?: string;
  parkingAreaId?: string;
  startedS: number;
  endedS: number;
}

function num(value: string | undefined): number {
  return value === undefined ? Number.NaN : Number(value);
}

/**
 * Reads SUMO's tripinfo output (streamed), keyed by vehicle id: what citybay's per-car results are compared with
 * (same definitions: see `sim/README.md`, per-car results).
 */
export function readSumoTripinfo(text: string, fileName: string): Map<string, SumoTripinfo> {
  const trips = new Map<string, SumoTripinfo>();
  readXmlElements(text, fileName, errors.CB_SUMO_OUTPUT_INVALID, {
    onOpen(element) {
      if (element.name !== 'tripinfo') return;
      const a = element.attributes;
      const arrivalS = num(a.arrival);
      trips.set(a.id ?? '', {
        id: a.id ?? '',
        departS: num(a.depart),
        departDelayS: num(a.departDelay),
        arrivalS: arrivalS >= 0 ? arrivalS : Number.NaN,
        isArrived: arrivalS >= 0,
        routeLengthM: num(a.routeLength),
        timeLossS: num(a.timeLoss),
        stopTimeS: num(a.stopTime),
      });
    },
  });
  return trips;
}

/** Reads SUMO's stop output (streamed): when each car reached and left each stop. */
export function readSumoStops(text: string, fileName: string): SumoStopinfo[] {
  const stops: SumoStopinfo[] = [];
  readXmlElements(text, fileName, errors.CB_SUMO_OUTPUT_INVALID, {
    onOpen(element) {
      if (element.name !== 'stopinfo') return;
      const a = element.attributes;
      const stop: SumoStopinfo = { vehicleId: a.id ?? '', startedS: num(a.started), endedS: num(a.ended) };
      if (a.lane !== undefined) stop.laneId = a.lane;
      if (a.parkingArea !== undefined) stop.parkingAreaId = a.parkingArea;
      stops.push(stop);
    },
  });
  return stops;
}
