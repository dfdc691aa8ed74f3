import { type Static, Type } from '@sinclair/typebox';
import { errors } from '../errors.js';
import { parseClockMin } from './clock-time.js';
import { checkScenarioAllocation } from './scenario-allocation.js';
import { checkSchema, parseYamlText } from './schema-check.js';
import { TrafficParamsSchema } from './traffic-params-schema.js';
import { DEFAULT_TRAFFIC_PARAMS } from '../traffic/traffic-params.js';

const Share = Type.Number({ minimum: 0, maximum: 1 });
const Clock = Type.String({ pattern: '^\\d{1,2}:\\d{2}$', description: 'a time of day HH:MM' });
const Normal = Type.Object(
  {
    mean: Type.Number(),
    sd: Type.Number({ minimum: 0 }),
    min: Type.Optional(Type.Number()),
    max: Type.Optional(Type.Number()),
  },
  { additionalProperties: false },
);

const PolicySchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    /** `signs`: guidance signs show the best lot; `none`: signs are dark. */
    guidance: Type.Optional(Type.Union([Type.Literal('none'), Type.Literal('signs')])),
    /** Cars get a lot from the bay allocator before they leave home. */
    preAssign: Type.Optional(Type.Boolean()),
    /** Lots with role `shared` take hospital traffic. */
    openSharedLots: Type.Optional(Type.Boolean()),
    /** Appointment starts inside from–to are spread over newFrom–newTo. */
    spread: Type.Optional(
      Type.Object({ from: Clock, to: Clock, newFrom: Clock, newTo: Clock }, { additionalProperties: false }),
    ),
    /** Overrides the scenario's share of drivers following signs for this policy. */
    signCompliance: Type.Optional(Share),
    /** Allocation options for this policy's pre-assignment, over the scenario's `allocation` (checked by their schema). */
    allocation: Type.Optional(Type.Unknown()),
    /** What wait-listed drivers of a pre-assigned policy do: `drive` (come and look, as without a plan) or `stay-away`. Default `drive`. */
    waitListed: Type.Optional(Type.Union([Type.Literal('drive'), Type.Literal('stay-away')])),
    /** Share of drivers of a pre-assigned policy who follow their plan; the others drive as without one. Default 1. */
    planCompliance: Type.Optional(Share),
  },
  { additionalProperties: false },
);

const AppointmentsSchema = Type.Union([
  Type.Object(
    {
      file: Type.String({ minLength: 1 }),
      format: Type.Optional(Type.Union([Type.Literal('fhir'), Type.Literal('json'), Type.Literal('csv')])),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      generate: Type.Object(
        {
          visitsPerDay: Type.Integer({ minimum: 0 }),
          hourlyWeights: Type.Array(Type.Number({ minimum: 0 }), { minItems: 24, maxItems: 24 }),
          durationMin: Normal,
          entranceWeights: Type.Record(Type.String(), Type.Number({ minimum: 0 })),
          accessibleShare: Share,
          familyShare: Share,
          evShare: Share,
        },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false },
  ),
]);

export const ScenarioFileSchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    description: Type.Optional(Type.String()),
    /** Path (relative to the scenario file) of a SUMO `.net.xml` or a built-in YAML/JSON network. */
    network: Type.String({ minLength: 1 }),
    /** Path of a lots file (see `parseLotsFile`). */
    lots: Type.String({ minLength: 1 }),
    /** Per lot id: `hospital` (every driver knows it), `overflow` (open, known to informed drivers), `shared` (only when the policy opens shared lots). Default `hospital`. */
    lotRoles: Type.Optional(
      Type.Record(
        Type.String(),
        Type.Union([
          Type.Literal('hospital'),
          Type.Literal('overflow'),
          Type.Literal('shared'),
          Type.Literal('park-and-ride'),
        ]),
      ),
    ),
    /** Bays taken at the start (staff, night parkers), per lot id and kind. */
    initialOccupancy: Type.Optional(
      Type.Record(Type.String(), Type.Record(Type.String(), Type.Integer({ minimum: 0 }))),
    ),
    /** Local midnight of the simulated day, ISO 8601 with offset. */
    date: Type.String({ minLength: 10 }),
    period: Type.Object({ from: Clock, to: Clock }, { additionalProperties: false }),
    seed: Type.Integer({ minimum: 0, maximum: 4294967295 }),
    demand: Type.Object(
      {
        appointments: AppointmentsSchema,
        carShare: Share,
        noShowShare: Share,
        dropOffShare: Share,
        /** Edges at the entrances where drop-off cars stop and leave; each car uses the nearest it can reach. */
        dropOffEdgeIds: Type.Optional(Type.Array(Type.String(), { minItems: 1 })),
        arrivalBeforeMin: Normal,
        extraStayMin: Normal,
        origins: Type.Array(
          Type.Object(
            {
              edgeId: Type.String(),
              share: Type.Number({ minimum: 0 }),
              /** Where cars from this origin drive home after parking; default the origin's reverse edge. */
              returnEdgeId: Type.Optional(Type.String({ minLength: 1 })),
            },
            { additionalProperties: false },
          ),
          { minItems: 1 },
        ),
        drivers: Type.Object(
          { searchShare: Share, knowsSharedLotsShare: Share, signCompliance: Share },
          { additionalProperties: false },
        ),
        background: Type.Optional(
          Type.Array(
            Type.Object(
              {
                id: Type.String({ minLength: 1 }),
                from: Type.String(),
                to: Type.String(),
                vehPerHour: Type.Number({ minimum: 0 }),
                window: Type.Optional(Type.String({ pattern: '^\\d{1,2}:\\d{2}-\\d{1,2}:\\d{2}$' })),
              },
              { additionalProperties: false },
            ),
          ),
        ),
        /** SUMO demand (`.rou.xml`: vehicles, trips, flows; also additional files holding vTypes or routes), added to
         * the appointments and background flows. A `<stop parkingArea="X">` parks at the scenario's lot `X`. */
        sumoRoutes: Type.Optional(
          Type.Object(
            {
              files: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
              /** Clock time of SUMO time 0 (SUMO times count seconds from it); default midnight. */
              timeZeroAt: Type.Optional(Clock),
            },
            { additionalProperties: false },
          ),
        ),
      },
      { additionalProperties: false },
    ),
    signs: Type.Optional(
      Type.Array(Type.Object({ id: Type.String(), edgeId: Type.String() }, { additionalProperties: false })),
    ),
    /** The hospital approach: branches of edges, each from the gate back along one road; "the hospital queue" is the
     * longest branch's summed queue. */
    approach: Type.Array(Type.Array(Type.String(), { minItems: 1 }), { minItems: 1 }),
    /** Model parameters (sim/README.md's table); each one left out keeps its default. */
    traffic: Type.Optional(TrafficParamsSchema),
    /** What the results measure: `window` (`HH:MM-HH:MM`, default the period) for the queue mean / p95 / max. */
    report: Type.Optional(
      Type.Object(
        { window: Type.Optional(Type.String({ pattern: '^\\d{1,2}:\\d{2}-\\d{1,2}:\\d{2}$' })) },
        { additionalProperties: false },
      ),
    ),
    /** The bay allocator's options for pre-assigned policies (see `ALLOCATION_OPTIONS_SCHEMA`); a policy's own win. */
    allocation: Type.Optional(Type.Unknown()),
    policies: Type.Array(PolicySchema, { minItems: 1 }),
    /** Name of the policy `run` uses when none is given; default the first. */
    policy: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export type ScenarioDocument = Static<typeof ScenarioFileSchema>;
export type PolicyDocument = Static<typeof PolicySchema>;

/**
 * Parses and validates a scenario file (YAML or JSON). Throws `CB_SCENARIO_INVALID` with the file and the path of
 * the first bad field. Cross-references to the network and lots are checked when the scenario is run.
 */
export function parseScenarioFile(text: string, fileName: string): ScenarioDocument {
  return parseScenarioDocument(parseYamlText(text, fileName, errors.CB_SCENARIO_INVALID), fileName);
}

/**
 * Validates a scenario already parsed (from YAML, or a JSON body): the one check behind {@link parseScenarioFile},
 * for callers that hold the document rather than its text.
 */
export function parseScenarioDocument(parsed: unknown, fileName: string): ScenarioDocument {
  const document = checkSchema(ScenarioFileSchema, parsed, fileName, errors.CB_SCENARIO_INVALID);
  const fail = (path: string, message: string) =>
    errors.CB_SCENARIO_INVALID(`${fileName}: ${path}: ${message}`, { path });
  if (Number.isNaN(Date.parse(document.date))) throw fail('date', `"${document.date}" is not an ISO 8601 date`);
  const fromMin = parseClockMin(document.period.from);
  const toMin = parseClockMin(document.period.to);
  if (fromMin === undefined || toMin === undefined || fromMin >= toMin) {
    throw fail('period', 'expected from < to, both HH:MM');
  }
  const traffic = { ...DEFAULT_TRAFFIC_PARAMS, ...document.traffic };
  if (traffic.vehicleLengthM > traffic.jamSpacingM) {
    // A queued car's space is its length plus the gap to the next: a car longer than that space has no gap.
    const field = document.traffic?.vehicleLengthM === undefined ? 'jamSpacingM' : 'vehicleLengthM';
    throw fail(
      `traffic.${field}`,
      `vehicleLengthM ${traffic.vehicleLengthM} exceeds jamSpacingM ${traffic.jamSpacingM}`,
    );
  }
  const names = new Set<string>();
  for (const [i, policy] of document.policies.entries()) {
    if (names.has(policy.name)) throw fail(`policies[${i}].name`, `duplicate policy "${policy.name}"`);
    names.add(policy.name);
    if (policy.spread !== undefined) {
      const [a, b, c, d] = [policy.spread.from, policy.spread.to, policy.spread.newFrom, policy.spread.newTo].map(
        parseClockMin,
      );
      if (a === undefined || b === undefined || c === undefined || d === undefined || a >= b || c >= d) {
        throw fail(`policies[${i}].spread`, 'expected valid HH:MM times with from < to and newFrom < newTo');
      }
    }
  }
  const window = document.report?.window;
  if (window !== undefined) {
    const [a, b] = window.split('-').map(parseClockMin);
    if (a === undefined || b === undefined || a >= b)
      throw fail('report.window', `"${window}" is not HH:MM-HH:MM with from < to`);
  }
  const timeZeroAt = document.demand.sumoRoutes?.timeZeroAt;
  if (timeZeroAt !== undefined && parseClockMin(timeZeroAt) === undefined) {
    throw fail('demand.sumoRoutes.timeZeroAt', `"${timeZeroAt}" is not a time HH:MM`);
  }
  checkScenarioAllocation(document, fileName);
  if (document.policy !== undefined && !names.has(document.policy)) {
    throw fail('policy', `unknown policy "${document.policy}" (known: ${[...names].join(', ')})`);
  }
  if (document.demand.dropOffShare > 0 && document.demand.dropOffEdgeIds === undefined) {
    throw fail('demand.dropOffEdgeIds', 'required when dropOffShare > 0');
  }
  for (const [i, flow] of (document.demand.background ?? []).entries()) {
    if (flow.window === undefined) continue;
    const [from = '', to = ''] = flow.window.split('-');
    const a = parseClockMin(from);
    const b = parseClockMin(to);
    if (a === undefined || b === undefined || a >= b) {
      throw fail(`demand.background[${i}].window`, `"${flow.window}" is not HH:MM-HH:MM with from < to`);
    }
  }
  return document;
}
