/** Parameters of the mesoscopic link model. Every field has a default; see `sim/README.md` for the equations. */
export interface TrafficParams {
  /** Simulation step (s). Default 1. */
  stepS: number;
  /** Space one queued car takes on one lane, car length plus gap (m). Default 7.5 (SUMO's 5 m + 2.5 m minGap). */
  jamSpacingM: number;
  /**
   * Length of the modelled car (m), SUMO's default passenger car: 5. A queue of n cars reaches back to the rear of the
   * last, n × jamSpacingM − (jamSpacingM − vehicleLengthM) from the stop line (SUMO's `queueing_length`); a car passing
   * a signal's detector loop occupies it while it drives its length.
   */
  vehicleLengthM: number;
  /** Outflow capacity at the downstream end of a link, per lane (veh/h). Default 1800. */
  saturationFlowVehPerHourPerLane: number;
  /**
   * Share of its own speed (its driver's speed factor × the limit, `Trip.speedFactor`) a car keeps on a free link:
   * driver dawdling. Default 0.95, what SUMO's default car (Krauss, sigma 0.5) keeps of a 50 km/h limit on a free road.
   */
  freeFlowSpeedFactor: number;
  /** Time a car loses slowing, turning in and stopping when it enters a lot, on top of the gate service (s). Default 8. */
  lotEntryDelayS: number;
  /**
   * How far ahead drivers pick their lane (m): a car takes the lanes from which it can follow its route the longest
   * without changing lanes over this distance (SUMO's "best lanes"), so a turning queue keeps to its lane. Default 1500.
   */
  laneChoiceLookaheadM: number;
  /** Acceleration and deceleration of the modelled car (m/s²), for the time lost slowing for a turn. SUMO's 2.6 / 4.5. */
  accelMps2: number;
  decelMps2: number;
  /**
   * How far before the junction a driver on a minor movement sees crossing traffic (m): they approach slow enough to
   * stop within it. SUMO's connection `visibility` default, 4.5.
   */
  minorVisibilityM: number;
  /**
   * Time a car that must stop for its gap at a stop line creeps below 5 km/h before it halts (s): SUMO's default car
   * (Krauss with dawdling σ = 0.5, 1-s steps) brakes with its stop speed and dawdles the last metre or so, 1.6 steps on
   * average (`bench/traffic-sumo-stop-creep.ts` derives it from SUMO's formulas). It holds the line and counts as
   * queued, as SUMO's queue-output counts the car. Only for a car that drove up to an idle stop line. Default 1.6.
   */
  stopCreepS: number;
  /**
   * The car-following time gap τ (s) and driver imperfection σ of SUMO's default car (Krauss: `tau` 1, `sigma` 0.5),
   * for the room a car takes in a queue that creeps behind a slow server such as a lot gate: s_jam / (1 − q · τ /
   * (1 − σ/2)) at q cars/s (`queue-creep.ts`). Defaults 1 and 0.5.
   */
  followTauS: number;
  dawdleSigma: number;
  /** Start-up lost time of a queue released by a green signal (s), HCM's l1. Default 2. */
  startupLostTimeS: number;
  /** Seconds of yellow still used by cars too close to stop (HCM's extension of effective green, e). Default 2. */
  yellowUsableS: number;
  /**
   * Critical gap of a minor movement (s): the t_c of Siegloch's capacity c = s · exp(−q_p (t_c − t_f / 2)), with t_f
   * the saturation headway; also the gap of Adams' mean wait at the stop line. Default 5.5 (the lower end of the HBS's
   * and HCM's range for minor movements, fitted to SUMO micro on benchmark (b); see sim/README.md).
   */
  criticalGapS: number;
  /** Time constant of the conflicting flow a minor movement sees (s): an exponential average of foe departures. Default 60. */
  conflictFlowWindowS: number;
  /**
   * Queue measurement only: the time the start wave of a queue released by green (or a gate) takes per car (s). A car
   * reached by it is moving, so it no longer counts as queued (SUMO's queue-output: below 5 km/h or standing).
   * Default 1.2.
   */
  startWaveS: number;
  /** How often queues are measured for the KPIs (s). Default 10. */
  queueSampleS: number;
  /** Resolution of the reported time series (s); each point holds the maximum over the interval. Default 60. */
  seriesIntervalS: number;
  /** How often guidance signs recompute what they show (s), like a variable-message sign's update cycle. Default 30. */
  signRefreshS: number;
  /** Per-link queue series are kept (for p95 per link) only while links × points stay under this. Default 4e6. */
  maxLinkSeriesCells: number;
}

export const DEFAULT_TRAFFIC_PARAMS: Readonly<TrafficParams> = Object.freeze({
  stepS: 1,
  jamSpacingM: 7.5,
  vehicleLengthM: 5,
  saturationFlowVehPerHourPerLane: 1800,
  freeFlowSpeedFactor: 0.95,
  lotEntryDelayS: 8,
  laneChoiceLookaheadM: 1500,
  accelMps2: 2.6,
  decelMps2: 4.5,
  minorVisibilityM: 4.5,
  stopCreepS: 1.6,
  followTauS: 1,
  dawdleSigma: 0.5,
  startupLostTimeS: 2,
  yellowUsableS: 2,
  criticalGapS: 5.5,
  conflictFlowWindowS: 60,
  startWaveS: 1.2,
  queueSampleS: 10,
  seriesIntervalS: 60,
  maxLinkSeriesCells: 4_000_000,
  signRefreshS: 30,
});
