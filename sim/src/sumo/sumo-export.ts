import { errors } from '../errors.js';
import type { RoadNetwork } from '../model/index.js';
import { ModelPaths } from '../routing/model-paths.js';
import { createRouter, type Router } from '../routing/shortest-paths.js';
import type { PreparedRun } from '../scenario/run-scenario.js';
import type { Trip } from '../traffic/trip.js';
import { sumoConfigXml } from './sumo-config.js';
import { laneConnectionLines } from './sumo-lane-connections.js';
import { lotLayout, type SumoLotLayout } from './sumo-lot-layout.js';
import { attributesText, typeDefinitionLines } from './sumo-vehicle-types.js';
import { attr, round, xmlFile } from './xml-text.js';

export interface SumoExportOptions {
  /**
   * `sumo`: the scenario's network is a SUMO `.net.xml`, patched by netconvert with the lots' roads; `plain`: a
   * built-in network, written as netconvert input (nodes, edges, connections). Default `sumo`.
   */
  networkKind?: 'sumo' | 'plain';
  /** The `.net.xml` netconvert reads for `sumo` (as the command should name it). Default `source.net.xml`. */
  sourceNetFile?: string;
}

/** SUMO input files for one prepared run (XML text), and how to build the network. */
export interface SumoExport {
  routesXml: string;
  additionalXml: string;
  /** `run.sumocfg`: names `net.net.xml`, `routes.rou.xml`, `parking.add.xml`; see `sumoConfigXml` for its options. */
  configXml: string;
  /** Files netconvert reads (`lots.*.xml` patches, or the whole plain network), by name. */
  networkFiles: Record<string, string>;
  /** netconvert's arguments to build `net.net.xml`; empty when the source `.net.xml` can be used as it is. */
  netconvertArgs: string[];
  /** Wanted departure (s) of each exported vehicle id, to measure times the same way as the link model. */
  plannedDepartS: Record<string, number>;
  /** Lot id → SUMO parkingArea id. */
  parkingAreaIds: Record<string, string>;
  vehicles: { total: number; park: number; returning: number; through: number };
}

/**
 * Exports the demand of a prepared run for SUMO: every car on the link model's free-flow shortest path; a park trip
 * passes its lot's barrier (the gate, see `sumo-lot-layout.ts`), stops at the lot's parkingArea for its stay and,
 * when it has a way home and its lot an exit, drives out of the lot to its return destination. Driver choices SUMO
 * cannot express the same way (searching, signs) are not exported: compare the two on runs without them. Lots
 * closed to this policy's hospital traffic, and cars wanting to leave after the period, are left out. A car with
 * no path to where it goes fails the export with `CB_SIM_UNROUTABLE` naming it: never a file without it. A car from a
 * SUMO route file keeps its vType and departure attributes, and a whole period flow stays a flow
 * (`prepared.sumoVehicles`), so SUMO runs the export as it runs that file (sim/README.md, *Out: export-sumo*).
 */
export function buildSumoExport(
  prepared: PreparedRun,
  network: RoadNetwork,
  options: SumoExportOptions = {},
): SumoExport {
  const router = createRouter(network);
  const { input } = prepared;
  const pathCache = new Map<string, string[] | undefined>();
  const modelPaths = new ModelPaths(router);
  const pathOf = (from: string, to: string): string[] | undefined => {
    const key = `${from}\u0000${to}`;
    if (!pathCache.has(key)) pathCache.set(key, modelPath(router, modelPaths, from, to));
    return pathCache.get(key);
  };
  const layouts = new Map<string, SumoLotLayout>();
  for (const simLot of input.lots) {
    const capacity = simLot.lot.zones.reduce(
      (sum, zone) => sum + Object.values(zone.capacityByKind).reduce((a: number, b) => a + (b ?? 0), 0),
      0,
    );
    const taken = Object.values(simLot.initialOccupancyByKind ?? {}).reduce((a: number, b) => a + (b ?? 0), 0);
    layouts.set(simLot.lot.id, lotLayout(simLot, network, Math.max(1, capacity - taken)));
  }
  const isOpen = new Map(input.lots.map((simLot) => [simLot.lot.id, simLot.isOpenToHospital]));
  const order = input.trips
    .map((trip, i) => ({ trip, i }))
    .filter(({ trip }) => trip.departS < input.endS && (trip.purpose !== 'park' || isOpen.get(trip.lotId ?? '')))
    .sort((a, b) => a.trip.departS - b.trip.departS || a.i - b.i);
  const unroutable = (trip: Trip, i: number, from: string, to: string) =>
    errors.CB_SIM_UNROUTABLE(`trips[${i}] ("${trip.id}"): no path from edge "${from}" to edge "${to}"`, {
      path: `trips[${i}]`,
    });
  const plannedDepartS: Record<string, number> = {};
  const vehicles: string[] = [];
  const sumo = prepared.sumoVehicles;
  const sumoTypeIds = new Set([
    ...(sumo?.types.vTypes ?? []).map((t) => t.id),
    ...(sumo?.types.vTypeDistributions ?? []).map((d) => d.id),
  ]);
  const carType = sumoTypeIds.has('car') ? 'citybay_car' : 'car';
  let hasCitybayCars = false;
  const writtenFlows = new Set<string>();
  const counts = { total: 0, park: 0, returning: 0, through: 0 };
  const carsPerLot = new Map<string, number>();
  for (const { trip, i } of order) {
    const depart = Math.max(input.startS, trip.departS);
    let edges: string[];
    let stops = '';
    if (trip.purpose === 'park') {
      const layout = layouts.get(trip.lotId!)!;
      const lot = input.lots.find((simLot) => simLot.lot.id === trip.lotId)!.lot;
      const toLot = pathOf(trip.originEdgeId, lot.entryEdgeId);
      if (toLot === undefined) throw unroutable(trip, i, trip.originEdgeId, lot.entryEdgeId);
      edges = [...toLot, ...layout.edgesIn];
      const n = carsPerLot.get(lot.id) ?? 0;
      carsPerLot.set(lot.id, n + 1);
      stops = `${layout.barrierStop(n)}<stop parkingArea="${attr(layout.parkingAreaId)}" duration="${round(trip.stayS ?? 0)}"/>`;
      const home = trip.returnDestinationEdgeId;
      if (home !== undefined && layout.edgesOut !== undefined && lot.exitEdgeId !== undefined) {
        const back = pathOf(lot.exitEdgeId, home);
        if (back === undefined) throw unroutable(trip, i, lot.exitEdgeId, home);
        // A SUMO parkingArea lot's exit is its own edge, already the last edge of the way in.
        edges.push(...layout.edgesOut, ...(edges.at(-1) === back[0] ? back.slice(1) : back));
        counts.returning++;
      }
      counts.park++;
    } else {
      const path = pathOf(trip.originEdgeId, trip.destinationEdgeId!);
      if (path === undefined) throw unroutable(trip, i, trip.originEdgeId, trip.destinationEdgeId!);
      edges = path;
      counts.through++;
    }
    plannedDepartS[trip.id] = trip.departS;
    counts.total++;
    // A car from a SUMO file keeps its vType and departure attributes (none given: SUMO's defaults), so SUMO runs
    // the export as it runs that file; citybay's own cars enter on the best lane at the most they may drive.
    const fromFile = sumo?.vehicleOf[i];
    hasCitybayCars ||= fromFile === undefined;
    const route = `<route edges="${attr(edges.join(' '))}"/>${stops}`;
    if (fromFile?.flow !== undefined) {
      // A whole flow goes back as that flow, at its first car.
      const { flow } = fromFile;
      if (!writtenFlows.has(flow.id)) {
        writtenFlows.add(flow.id);
        const end = flow.endS === undefined ? '' : ` end="${round(flow.endS, 3)}"`;
        vehicles.push(
          `  <flow id="${attr(flow.id)}" type="${attr(fromFile.typeId)}" begin="${round(flow.beginS, 3)}"${end}${attributesText(flow.rates)}${attributesText(fromFile.attributes)}>${route}</flow>`,
        );
      }
      continue;
    }
    const style =
      fromFile === undefined
        ? `type="${carType}" depart="${round(depart, 3)}" departLane="best" departSpeed="max"`
        : `type="${attr(fromFile.typeId)}" depart="${round(depart, 3)}"${attributesText(fromFile.attributes)}`;
    vehicles.push(`  <vehicle id="${attr(trip.id)}" ${style}>${route}</vehicle>`);
  }
  const comment = `Generated by citybay-sim export-sumo (scenario policy "${prepared.policy.name}", seed ${prepared.seed})`;
  const routesXml = xmlFile('routes', comment, [
    ...(hasCitybayCars
      ? [`  <vType id="${carType}" length="5" minGap="2.5" maxSpeed="50" accel="2.6" decel="4.5" sigma="0.5"/>`]
      : []),
    ...(sumo === undefined ? [] : typeDefinitionLines(sumo.types)),
    ...vehicles,
  ]);
  const additionalXml = xmlFile(
    'additional',
    `${comment}: one parkingArea per lot, sized to the bays free at the start`,
    [...layouts.values()].map((layout) => layout.parkingAreaXml),
  );
  const network_ = networkFiles(network, [...layouts.values()], options, comment, input.params);
  return {
    routesXml,
    additionalXml,
    configXml: sumoConfigXml({ beginS: input.startS, endS: input.endS, seed: prepared.seed, comment }),
    ...network_,
    plannedDepartS,
    parkingAreaIds: Object.fromEntries([...layouts].map(([lotId, layout]) => [lotId, layout.parkingAreaId])),
    vehicles: counts,
  };
}

function networkFiles(
  network: RoadNetwork,
  layouts: readonly SumoLotLayout[],
  options: SumoExportOptions,
  comment: string,
  params: PreparedRun['input']['params'],
): Pick<SumoExport, 'networkFiles' | 'netconvertArgs'> {
  const patchNodes = layouts.flatMap((layout) => layout.patchNodes);
  const patchEdges = layouts.flatMap((layout) => layout.patchEdges);
  const patchConnections = layouts.flatMap((layout) => layout.patchConnections);
  if ((options.networkKind ?? 'sumo') === 'sumo') {
    if (patchEdges.length === 0) return { networkFiles: {}, netconvertArgs: [] };
    const files = {
      'lots.nod.xml': xmlFile('nodes', `${comment}: the lots' own roads`, patchNodes),
      'lots.edg.xml': xmlFile('edges', `${comment}: the lots' own roads`, patchEdges),
      'lots.con.xml': xmlFile('connections', `${comment}: the lots' own roads`, patchConnections),
    };
    const source = options.sourceNetFile ?? 'source.net.xml';
    return {
      networkFiles: files,
      netconvertArgs: [
        '-s',
        source,
        '-n',
        'lots.nod.xml',
        '-e',
        'lots.edg.xml',
        '-x',
        'lots.con.xml',
        '-o',
        'net.net.xml',
      ],
    };
  }
  const nodes = network.nodes.map(
    (n) => `  <node id="${attr(n.id)}" x="${round(n.xM)}" y="${round(n.yM)}" type="priority"/>`,
  );
  const edges = network.edges.map(
    (e) =>
      `  <edge id="${attr(e.id)}" from="${attr(e.fromNodeId)}" to="${attr(e.toNodeId)}" numLanes="${e.laneCount}" speed="${round(e.speedMps)}" priority="${e.priority}" length="${round(e.lengthM)}"/>`,
  );
  // Lane by lane, as the model drives them: netconvert guesses nothing, and keeps them beside the lots' gate lanes.
  const connections = laneConnectionLines(network, params);
  return {
    networkFiles: {
      'net.nod.xml': xmlFile('nodes', comment, [...nodes, ...patchNodes]),
      'net.edg.xml': xmlFile('edges', comment, [...edges, ...patchEdges]),
      'net.con.xml': xmlFile('connections', comment, [...connections, ...patchConnections]),
    },
    // Without U-turns, as the link model's router (a network without connections gets every turn but the U-turn).
    netconvertArgs: [
      '-n',
      'net.nod.xml',
      '-e',
      'net.edg.xml',
      '-x',
      'net.con.xml',
      '--no-turnarounds',
      '-o',
      'net.net.xml',
    ],
  };
}

/**
 * The route the link model drives from `from` to `to`: down the all-to-one shortest-path tree of `to` (`LinkGraph`'s
 * trees), not a forward search from `from`. Both are shortest, but they break ties differently: on the 10×10 grid of
 * benchmark (b) 1,002 of 6,000 forward-searched routes were another shortest route than the model's, and SUMO's queues
 * were those of other demand (undefined: no path).
 */
function modelPath(router: Router, paths: ModelPaths, from: string, to: string): string[] | undefined {
  const target = router.edgeIndex(to);
  const start = router.edgeIndex(from);
  if (target < 0 || start < 0) return router.shortestPath(from, to)?.edgeIds; // throws naming the unknown edge
  return paths.indices(start, target)?.map((e) => router.edgeId(e));
}
