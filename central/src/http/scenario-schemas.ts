import { type Static, Type } from '@sinclair/typebox';
import type { ScenarioKpis, ScenarioResult } from '@citybay/sim';

// Response schemas of the engineer API (scenario jobs). A run's result is the simulator's `ScenarioResult`: its
// figures are named here; parts only some runs have (per-car results, pre-assignment statistics) and parts a later
// simulator adds pass through as they are (`additionalProperties`).

const open = { additionalProperties: true } as const;

export const ScenarioJobSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    status: Type.Union((['queued', 'running', 'done', 'failed'] as const).map((s) => Type.Literal(s))),
    progress: Type.Object({ completedRuns: Type.Integer({ minimum: 0 }), totalRuns: Type.Integer({ minimum: 0 }) }),
    runs: Type.Array(Type.Object({ policy: Type.String(), seed: Type.Integer({ minimum: 0 }) })),
    submittedAt: Type.String({ format: 'date-time' }),
    finishedAt: Type.Optional(Type.String({ format: 'date-time' })),
    error: Type.Optional(Type.String({ description: 'why the job failed' })),
    links: Type.Object({ self: Type.String(), kpis: Type.String(), series: Type.String(), report: Type.String() }),
  },
  { title: 'ScenarioJob' },
);

export const ScenarioJobListSchema = Type.Object({ jobs: Type.Array(ScenarioJobSchema) });

const N = Type.Number();
const ScenarioKpisSchema = Type.Object(
  {
    approachQueueMaxM: N,
    approachQueueP95M: N,
    windowQueueMeanM: N,
    windowQueueP95M: N,
    windowQueueMaxM: N,
    timeToParkMeanS: N,
    timeToParkP95S: N,
    meanTravelTimeS: N,
    cruisingVehKm: N,
    totalVehKm: N,
    parkTrips: N,
    parkedCars: N,
    vehiclesNotServed: N,
    throughTrips: N,
    throughTripsFinished: N,
    maxWaitingToEnter: N,
    vehicleSteps: N,
  },
  { title: 'ScenarioKpis' },
);

const RunKpisSchema = Type.Object(
  {
    scenario: Type.String(),
    policy: Type.String(),
    seed: Type.Integer({ minimum: 0 }),
    periodS: Type.Object({ fromS: N, toS: N }),
    demand: Type.Object(
      {
        appointments: N,
        noShows: N,
        notByCar: N,
        dropOffs: N,
        parkTrips: N,
        throughTrips: N,
        sumoTrips: Type.Optional(N),
      },
      open,
    ),
    kpis: ScenarioKpisSchema,
    lots: Type.Array(Type.Object({ lotId: Type.String(), capacityBays: N, maxOccupiedBays: N, parkedCars: N })),
    links: Type.Array(Type.Object({ edgeId: Type.String(), maxQueueM: N, p95QueueM: Type.Optional(N) })),
    warnings: Type.Array(Type.Object({}, open)),
    flows: Type.Array(Type.Object({}, open)),
    queueWindow: Type.Object({}, open),
    perHour: Type.Array(Type.Object({}, open)),
  },
  {
    ...open,
    title: 'ScenarioRunKpis',
    description: "one run's KPIs (the simulator's ScenarioResult without its time series)",
  },
);

export const ScenarioKpisListSchema = Type.Object({ runs: Type.Array(RunKpisSchema) });

const Series = Type.Array(N);
const ScenarioSeriesSchema = Type.Object(
  {
    seriesIntervalS: N,
    timesS: Series,
    approachQueueM: Series,
    lotOccupancy: Type.Record(Type.String(), Series),
    gateQueueVeh: Type.Record(Type.String(), Series),
    vehiclesOnNetwork: Series,
    waitingToEnter: Series,
  },
  { title: 'ScenarioSeries' },
);

export const ScenarioSeriesListSchema = Type.Object({
  runs: Type.Array(
    Type.Object({ policy: Type.String(), seed: Type.Integer({ minimum: 0 }), series: ScenarioSeriesSchema }),
  ),
});

// The named parts and the simulator's types describe one shape: each must be assignable to the other.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const checks: [
  Same<Static<typeof ScenarioKpisSchema>, ScenarioKpis>,
  Same<Static<typeof ScenarioSeriesSchema>, ScenarioResult['series']>,
  Same<Static<typeof RunKpisSchema>['demand'], ScenarioResult['demand']>,
  Same<Static<typeof RunKpisSchema>['lots'], ScenarioResult['lots']>,
  Same<Static<typeof RunKpisSchema>['links'], ScenarioResult['links']>,
] = [true, true, true, true, true];
void checks;
