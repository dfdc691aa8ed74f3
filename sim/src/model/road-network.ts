/**
 * The road network as a directed graph of edges (SUMO's naming: an edge is a road section between two
 * junctions, made of lanes). Built by the SUMO `.net.xml` importer or the built-in JSON/YAML format.
 */
export interface RoadEdge {
  id: string;
  fromNodeId: string;
  toNodeId: string;
  lengthM: number;
  /** Free-flow speed limit. */
  speedMps: number;
  /** Lanes open to passenger cars (a SUMO net's sidewalks, bike and bus lanes are not counted). */
  laneCount: number;
  /** SUMO priority; higher wins at unsignalised junctions. */
  priority: number;
  /** Street name for route texts and signs (SUMO `name` attribute), when known. */
  name?: string;
}

export interface RoadNode {
  id: string;
  xM: number;
  yM: number;
}

/**
 * Allowed movement from one edge onto the next at a junction. A SUMO net gives one per lane pair (`fromLane` /
 * `toLane`, counted over the car lanes only, 0 = rightmost); a built-in network one per edge pair (the link model then
 * assigns turn lanes as netconvert would: right turns from the right lane, left turns from the left lane).
 */
export interface RoadConnection {
  fromEdgeId: string;
  toEdgeId: string;
  /** Length of the path across the junction (SUMO's internal lane), when known (m). */
  viaLengthM?: number;
  /** Speed limit across the junction (SUMO's internal lane: lower for tight turns), when known. */
  viaSpeedMps?: number;
  /** Car lane of `fromEdgeId` (0 = rightmost car lane) and of `toEdgeId`, when the network is lane-level. */
  fromLane?: number;
  toLane?: number;
  /** Index of this link in its junction's right-of-way table (`RoadJunction.mustYieldTo`), when known. */
  junctionLink?: number;
  /** The traffic light that controls it and its index in the program's state strings. */
  tlId?: string;
  tlLinkIndex?: number;
  /**
   * How many pieces of the crossing (SUMO internal edges) belong to a link that yields (SUMO link state `m`, `=`, `s`
   * or `w`; a left turn at a signal yields inside the junction, on its second piece): duarouter adds its
   * `--weights.minor-penalty` for each (`MINOR_LINK_PENALTY_S`). Absent: none, or not known.
   */
  minorCrossings?: number;
}

/**
 * A junction's right of way, as SUMO's `<request>`s give it: `mustYieldTo[i]` are the links (junction link indices,
 * see `RoadConnection.junctionLink`) link *i* must let pass first: the major flows a minor movement yields to at a
 * priority junction, the right-hand approach at a right-before-left junction, the oncoming traffic a permissive
 * (`g`) green yields to at a signal.
 */
export interface RoadJunction {
  nodeId: string;
  /** SUMO junction type: `priority`, `traffic_light`, `right_before_left`, `allway_stop`, … */
  type: string;
  mustYieldTo: number[][];
  /**
   * Links that wait for their gap inside the junction (SUMO's `cont="1"`: an internal junction, e.g. a left turn waiting
   * for oncoming traffic), not at the stop line; absent: none.
   */
  waitsInside?: number[];
}

/**
 * One phase of a signal program: its duration and one state character per link (SUMO's `G g y r …`); in an actuated
 * program also its minimum and maximum duration (SUMO `minDur`/`maxDur`; absent: both are `durationS`).
 */
export interface SignalPhase {
  durationS: number;
  state: string;
  minDurS?: number;
  maxDurS?: number;
}

/** Gap control of an actuated program (SUMO's `<param>`s of a `tlLogic type="actuated"`, with SUMO's defaults). */
export interface SignalActuation {
  /** `max-gap`: a green phase is extended while a detector saw a car less than this long ago (s). SUMO: 3. */
  maxGapS: number;
  /** `detector-gap`: detectors lie this many seconds at the lane's speed before the stop line (s). SUMO: 2. */
  detectorGapS: number;
  /** `passing-time`: time a queued car needs to pass the stop line, caps the detector distance (s). SUMO: 1.9. */
  passingTimeS: number;
}

/** A traffic light's program (SUMO `tlLogic`): fixed-time, or actuated by detectors (see sim/README.md). */
export interface SignalProgram {
  id: string;
  /** SUMO's program type (`static`, `actuated`, `delay_based`); `delay_based` runs as its fixed plan. */
  type: string;
  offsetS: number;
  phases: SignalPhase[];
  /** Present for `actuated` programs: their phases with `minDurS < maxDurS` are extended by detectors. */
  actuation?: SignalActuation;
}

export interface RoadNetwork {
  nodes: RoadNode[];
  edges: RoadEdge[];
  connections: RoadConnection[];
  /** Right of way at junctions (SUMO nets); absent: no junction control beyond link capacity. */
  junctions?: RoadJunction[];
  /** Fixed-time signal programs (SUMO `tlLogic`). */
  signals?: SignalProgram[];
}
