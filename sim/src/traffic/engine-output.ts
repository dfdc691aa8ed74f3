import type { TrafficEngine } from './traffic-engine.js';
import type { TrafficRunOutput } from './traffic-run-types.js';

/** The run's outputs in the input's trip order (call once the period is over, or to see a run so far). */
export function engineOutput(engine: TrafficEngine): TrafficRunOutput {
  const { lots, cars } = engine;
  const lotCapacity = new Int32Array(lots.count);
  for (let l = 0; l < lots.count; l++) lotCapacity[l] = lots.totalCapacity(l, engine.startS);
  return {
    startS: engine.startS,
    endS: engine.endS,
    stepS: engine.dt,
    vehicleSteps: engine.vehicleSteps,
    tripCount: cars.V,
    departS: cars.inInputOrder(originalDepartures(engine)),
    enteredS: cars.inInputOrder(cars.enteredS),
    doneS: cars.inInputOrder(cars.doneS),
    lotIndex: cars.inInputOrder(cars.lotIndex),
    distanceM: cars.inInputOrder(cars.distanceM),
    cruisingM: cars.inInputOrder(cars.cruisingM),
    purpose: cars.inInputOrder(cars.purpose),
    leftLotS: cars.inInputOrder(cars.leftLotS),
    returnDoneS: cars.inInputOrder(cars.returnDoneS),
    returnDistanceM: cars.inInputOrder(cars.returnDistanceM),
    lotIds: engine.input.lots.map((simLot) => simLot.lot.id),
    lotMaxOccupied: lots.maxOccupied.slice(),
    lotParkedTotal: lots.parkedTotal.slice(),
    lotCapacity,
    queues: engine.recorder.finish(),
  };
}

/** Wanted departures as the trips gave them (a returning car's entry in `departS` is its time of leaving). */
function originalDepartures(engine: TrafficEngine): Float64Array {
  const departS = new Float64Array(engine.cars.V);
  engine.input.trips.forEach((trip, u) => (departS[u] = trip.departS));
  const byCar = new Float64Array(engine.cars.V);
  for (let v = 0; v < engine.cars.V; v++) byCar[v] = departS[engine.cars.tripOrder[v]!]!;
  return byCar;
}
