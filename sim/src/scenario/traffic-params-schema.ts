import { Type } from '@sinclair/typebox';

const positive = (maximum?: number) =>
  Type.Optional(Type.Number(maximum === undefined ? { exclusiveMinimum: 0 } : { exclusiveMinimum: 0, maximum }));
const nonNegative = (maximum?: number) =>
  Type.Optional(Type.Number(maximum === undefined ? { minimum: 0 } : { minimum: 0, maximum }));

/**
 * The scenario file's `traffic:` block: every model parameter of `TrafficParams` a traffic engineer may calibrate
 * (sim/README.md's parameter table), so a scenario can be fitted to the site it models. Left out on purpose:
 * `maxLinkSeriesCells`, a memory guard, which a scenario submitted to central must not be able to raise.
 * Upper bounds keep a hostile or mistyped value from making a run useless or unbounded (a 10-s step, a 60-s gap).
 */
export const TrafficParamsSchema = Type.Object(
  {
    stepS: positive(10),
    jamSpacingM: positive(50),
    vehicleLengthM: positive(50),
    saturationFlowVehPerHourPerLane: positive(10_000),
    freeFlowSpeedFactor: positive(1.5),
    lotEntryDelayS: nonNegative(3600),
    laneChoiceLookaheadM: nonNegative(100_000),
    accelMps2: positive(20),
    decelMps2: positive(20),
    minorVisibilityM: nonNegative(1000),
    stopCreepS: nonNegative(60),
    followTauS: nonNegative(10),
    dawdleSigma: nonNegative(1),
    startupLostTimeS: nonNegative(60),
    yellowUsableS: nonNegative(60),
    criticalGapS: positive(60),
    conflictFlowWindowS: positive(3600),
    startWaveS: nonNegative(60),
    queueSampleS: positive(3600),
    seriesIntervalS: positive(86_400),
    signRefreshS: positive(86_400),
  },
  { additionalProperties: false },
);
