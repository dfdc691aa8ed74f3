import type { ScenarioResult } from '../scenario/run-scenario.js';

/** `08:30` from seconds after midnight. */
export function clockOf(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv(rows: ReadonlyArray<ReadonlyArray<string | number | undefined>>): string {
  return `${rows.map((row) => row.map(csvCell).join(',')).join('\n')}\n`;
}

/** One row per series point: approach queue, cars on the network and waiting to enter, occupancy and gate queue per lot. */
export function timeSeriesCsv(result: ScenarioResult): string {
  const lotIds = Object.keys(result.series.lotOccupancy);
  const header = [
    'time',
    'timeS',
    'approachQueueM',
    'vehiclesOnNetwork',
    'waitingToEnter',
    ...lotIds.map((id) => `occupied_${id}`),
    ...lotIds.map((id) => `gateQueueVeh_${id}`),
  ];
  const rows = result.series.timesS.map((timeS, i) => [
    clockOf(timeS),
    timeS,
    result.series.approachQueueM[i],
    result.series.vehiclesOnNetwork[i],
    result.series.waitingToEnter[i],
    ...lotIds.map((id) => result.series.lotOccupancy[id]?.[i]),
    ...lotIds.map((id) => result.series.gateQueueVeh[id]?.[i]),
  ]);
  return csv([header, ...rows]);
}

/** Every link that queued: maximum and p95 queue (m). */
export function linksCsv(result: ScenarioResult): string {
  return csv([['edgeId', 'maxQueueM', 'p95QueueM'], ...result.links.map((l) => [l.edgeId, l.maxQueueM, l.p95QueueM])]);
}

/** One row per run (policy × seed) with every KPI: the comparison table of a sweep. */
export function kpiComparisonCsv(results: readonly ScenarioResult[]): string {
  const first = results[0];
  if (first === undefined) return '';
  const keys = Object.keys(first.kpis) as Array<keyof ScenarioResult['kpis']>;
  return csv([
    ['scenario', 'policy', 'seed', ...keys],
    ...results.map((r) => [r.scenario, r.policy, r.seed, ...keys.map((key) => r.kpis[key])]),
  ]);
}

/** One row per car (like SUMO's tripinfo; definitions in `car-results.ts`); empty without kept cars. */
export function carsCsv(result: ScenarioResult): string {
  const cars = result.cars;
  if (cars === undefined) return '';
  const header = [
    'id',
    'flow',
    'purpose',
    'lot',
    'departS',
    'enteredS',
    'parkedS',
    'leftLotS',
    'arrivedS',
    'routeLengthM',
    'delayS',
  ];
  const value = (x: number | string | null | undefined) => (x === null ? undefined : x);
  return csv([
    header,
    ...cars.id.map((id, v) => [
      id,
      cars.flow[v],
      cars.purpose[v],
      value(cars.lot[v]),
      cars.departS[v],
      value(cars.enteredS[v]),
      value(cars.parkedS[v]),
      value(cars.leftLotS[v]),
      value(cars.arrivedS[v]),
      cars.routeLengthM[v],
      value(cars.delayS[v]),
    ]),
  ]);
}

/** Through and drop-off travel times per flow. */
export function flowsCsv(result: ScenarioResult): string {
  return csv([
    ['flow', 'trips', 'finished', 'meanTravelTimeS', 'p95TravelTimeS', 'meanDepartDelayS', 'meanDelayS'],
    ...result.flows.map((f) => [
      f.flow,
      f.trips,
      f.finished,
      f.meanTravelTimeS,
      f.p95TravelTimeS,
      f.meanDepartDelayS,
      f.meanDelayS,
    ]),
  ]);
}

/** Queue mean / p95 / max over the report window: the approach, then each link that queued. */
export function queueWindowCsv(result: ScenarioResult): string {
  const { fromS, toS, approach, links } = result.queueWindow;
  const window = `${clockOf(fromS)}-${clockOf(toS)}`;
  return csv([
    ['window', 'queue', 'meanM', 'p95M', 'maxM'],
    [window, 'approach', approach.meanM, approach.p95M, approach.maxM],
    ...links.map((l) => [window, l.edgeId, l.meanM, l.p95M, l.maxM]),
  ]);
}

/** Cars parked and leaving per lot and clock hour. */
export function perHourCsv(result: ScenarioResult): string {
  const lotIds = result.lots.map((lot) => lot.lotId);
  return csv([
    ['hour', ...lotIds.map((id) => `parked_${id}`), ...lotIds.map((id) => `left_${id}`)],
    ...result.perHour.map((h) => [
      clockOf(h.hourStartS),
      ...lotIds.map((id) => h.parked[id] ?? 0),
      ...lotIds.map((id) => h.left[id] ?? 0),
    ]),
  ]);
}
