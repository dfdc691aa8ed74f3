import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { ScenarioKpis } from '../report/kpis.js';
import type { ScenarioResult } from '../scenario/run-scenario.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

// JSON keeps every finite double exactly (shortest round-trip form) but writes NaN and ±Infinity as null and -0 as 0.
// A queued sweep must give what a local one gives, bit for bit, so those four values travel as tagged objects.
const TAG = '$cbNumber';
const SPECIAL: Record<string, number> = { NaN, Infinity, '-Infinity': -Infinity, '-0': -0 };

function replacer(_key: string, value: unknown): unknown {
  if (typeof value !== 'number' || (Number.isFinite(value) && !Object.is(value, -0))) return value;
  return { [TAG]: Object.is(value, -0) ? '-0' : String(value) };
}

function reviver(_key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || !(TAG in value)) return value;
  const tag = (value as Record<string, unknown>)[TAG];
  return typeof tag === 'string' && tag in SPECIAL ? SPECIAL[tag] : value;
}

/**
 * A document (a resolved scenario, a run's result) as gzipped JSON, off the event loop (zlib runs on libuv's
 * threads). Returns the compressed bytes and the JSON's length.
 */
export async function encodeDocument(value: unknown): Promise<{ bytes: Buffer; jsonLength: number }> {
  const json = JSON.stringify(value, replacer);
  return { bytes: await gzipAsync(json), jsonLength: json.length };
}

export async function decodeDocument<T>(bytes: Buffer): Promise<T> {
  return JSON.parse((await gunzipAsync(bytes)).toString('utf8'), reviver) as T;
}

/** Each scalar KPI's column in `sweep_run` (snake case of the field), so readers get KPIs without the result. */
export const KPI_COLUMNS = {
  approachQueueMaxM: 'approach_queue_max_m',
  approachQueueP95M: 'approach_queue_p95_m',
  windowQueueMeanM: 'window_queue_mean_m',
  windowQueueP95M: 'window_queue_p95_m',
  windowQueueMaxM: 'window_queue_max_m',
  timeToParkMeanS: 'time_to_park_mean_s',
  timeToParkP95S: 'time_to_park_p95_s',
  meanTravelTimeS: 'mean_travel_time_s',
  cruisingVehKm: 'cruising_veh_km',
  totalVehKm: 'total_veh_km',
  parkTrips: 'park_trips',
  parkedCars: 'parked_cars',
  vehiclesNotServed: 'vehicles_not_served',
  throughTrips: 'through_trips',
  throughTripsFinished: 'through_trips_finished',
  maxWaitingToEnter: 'max_waiting_to_enter',
  vehicleSteps: 'vehicle_steps',
} as const satisfies Record<keyof ScenarioKpis, string>;

export type KpiField = keyof typeof KPI_COLUMNS;
export const KPI_FIELDS = Object.keys(KPI_COLUMNS) as KpiField[];

/** A run's result without its bulk (time series, per-car table): what a KPI reader wants. */
export type RunSummary = Omit<ScenarioResult, 'series' | 'cars'>;

/**
 * A run's result as `sweep_run` stores it: the scalar KPIs by column, the summary (the result without its series
 * and cars: a few kB) as JSON, the whole result compressed.
 */
export interface EncodedRunResult {
  kpiValues: number[];
  summaryJson: string;
  bytes: Buffer;
  jsonLength: number;
}

export async function encodeRunResult(result: ScenarioResult): Promise<EncodedRunResult> {
  const { bytes, jsonLength } = await encodeDocument(result);
  const { series: _series, cars: _cars, ...summary } = result;
  return {
    kpiValues: KPI_FIELDS.map((field) => result.kpis[field]),
    summaryJson: JSON.stringify(summary),
    bytes,
    jsonLength,
  };
}

/** The KPIs back from their columns (a row keyed by column name). */
export function kpisFromRow(row: Record<string, unknown>): ScenarioKpis {
  const kpis = {} as ScenarioKpis;
  for (const field of KPI_FIELDS) kpis[field] = Number(row[KPI_COLUMNS[field]]);
  return kpis;
}
