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

/** Allowed movement from one edge onto the next at a junction. */
export interface RoadConnection {
  fromEdgeId: string;
  toEdgeId: string;
  /** Length of the path across the junction (SUMO's internal lane), when known (m). */
  viaLengthM?: number;
  /** Speed limit across the junction (SUMO's internal lane: lower for tight turns), when known. */
  viaSpeedMps?: number;
}

export interface RoadNetwork {
  nodes: RoadNode[];
  edges: RoadEdge[];
  connections: RoadConnection[];
}
