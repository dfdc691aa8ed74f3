import { SeededRandom } from '@citybay/common';
import { errors } from '../errors.js';
import type { ParkingLot } from '../model/index.js';
import { ModelPaths } from '../routing/model-paths.js';
import type { Router } from '../routing/shortest-paths.js';
import type { WarningList } from '../scenario/run-warning.js';
import type { SumoSource } from '../sumo/attribute-reader.js';
import { checkSumoReferences } from '../sumo/sumo-references.js';
import type { SumoDemandItem, SumoRoute, SumoRouteFile, SumoStop } from '../sumo/sumo-routes.js';
import type { SumoTypeDefinitions, SumoVehicleAttributes } from '../sumo/sumo-vehicle-types.js';
import { usedTypeDefinitions } from '../sumo/sumo-vehicle-types.js';
import { vehicleClassUse } from '../sumo/sumo-values.js';
import { type Trip, tripOf } from '../traffic/trip.js';
import { drawWeighted, subSeed } from './distributions.js';
import { type DriverSpeed, driverSpeedOf, drawSpeedFactor, SUMO_PASSENGER_SPEED } from './speed-factors.js';
import { flowDepartures } from './sumo-flow-departures.js';

export interface SumoTripSettings {
  router: Router;
  lots: readonly ParkingLot[];
  /** Seconds after local midnight of SUMO time 0. */
  timeZeroS: number;
  /** The scenario period (s after midnight): vehicles departing outside it are left out, as SUMO leaves them out. */
  startS: number;
  endS: number;
  seed: number;
  warnings: WarningList;
}

export interface SumoTrips {
  trips: Trip[];
  /** Per trip: the flow it belongs to (`sumo:<flow id>`), or `sumo:vehicles` for single vehicles and trips. */
  flowOf: string[];
  /** Per trip: its vType and departure attributes as the file gives them (for export-sumo). */
  vehicleOf: SumoVehicleAttributes[];
  /** The vTypes and vTypeDistributions the trips name, as the files define them (for export-sumo). */
  types: SumoTypeDefinitions;
  parkTrips: number;
  throughTrips: number;
}

/**
 * Turns parsed SUMO route files into trips for one run: flows expand into vehicles (`<flow id>.<n>`, as SUMO names
 * them; probability and `exp()` flows drawn from `seed`), distributions pick a route and type per vehicle. A vehicle
 * whose route stops at a parkingArea (a lot) becomes a park trip to that lot, staying `duration` (or until `until`,
 * counted from its free-flow arrival), and driving on to its route's last edge after; any other a through trip from
 * its first edge to its last. The link model drives every car on its shortest path (duarouter's costs, so
 * randomTrips.py's routes are driven as given): a given route that is not the one it drives is reported, with how
 * many (`W_SUMO_ROUTE_CHANGED`). Unknown edges, broken routes and parkingAreas that are not lots fail with
 * `CB_SUMO_ROUTES_INVALID` naming file, line and element.
 */
export function sumoTrips(files: readonly SumoRouteFile[], settings: SumoTripSettings): SumoTrips {
  checkSumoReferences(files);
  return new SumoTripBuilder(files, settings).build();
}

class SumoTripBuilder {
  private readonly random: SeededRandom;
  private readonly routes = new Map<string, SumoRoute>();
  private readonly routeDistributions = new Map<string, { ids: string[]; weights: Float64Array }>();
  private readonly typeClass = new Map<string, string>();
  private readonly typeSpeed = new Map<string, DriverSpeed>();
  /** The stream of the drivers' speed factors (per trip id), apart from the flows' and distributions' draws. */
  private readonly speedSeed: number;
  private readonly typeDistributions = new Map<string, { ids: string[]; weights: Float64Array }>();
  private readonly lotById: Map<string, ParkingLot>;
  private readonly lotCost = new Map<string, Float64Array>();
  /** Per route (its edge ids joined): whether the link model drives it (`isModelPath`). */
  private readonly isDriven = new Map<string, boolean>();
  /** The paths the link model drives, its trees built as far as the routes checked needed them. */
  private readonly modelPaths: ModelPaths;
  private readonly result: SumoTrips = {
    trips: [],
    flowOf: [],
    vehicleOf: [],
    types: { vTypes: [], vTypeDistributions: [] },
    parkTrips: 0,
    throughTrips: 0,
  };
  private readonly vehicleOfItem = new Map<SumoDemandItem, SumoVehicleAttributes>();
  private fileName = '';

  constructor(
    private readonly files: readonly SumoRouteFile[],
    private readonly settings: SumoTripSettings,
  ) {
    this.random = new SeededRandom(settings.seed);
    this.speedSeed = subSeed(settings.seed, 7);
    this.lotById = new Map(settings.lots.map((lot) => [lot.id, lot]));
    this.modelPaths = new ModelPaths(settings.router);
    for (const file of files) {
      for (const route of file.routes) this.routes.set(route.id, route);
      for (const d of file.routeDistributions) {
        const ids = d.members.map((m) => m.routeId);
        this.routeDistributions.set(d.id, { ids, weights: Float64Array.from(d.members, (m) => m.probability) });
      }
      for (const type of file.vTypes) {
        this.typeClass.set(type.id, type.vClass);
        this.typeSpeed.set(type.id, driverSpeedOf(type.attributes));
      }
      for (const d of file.vTypeDistributions) {
        this.typeDistributions.set(d.id, { ids: d.typeIds, weights: Float64Array.from(d.probabilities) });
      }
    }
  }

  build(): SumoTrips {
    const { warnings } = this.settings;
    for (const file of this.files) {
      this.fileName = file.fileName;
      for (const [kind, count] of Object.entries(file.skipped)) {
        warnings.add('W_SUMO_SKIPPED', file.fileName, `${count} <${kind}> element(s) left out`);
      }
      for (const item of file.demand) this.addItem(item);
    }
    this.result.types = usedTypeDefinitions(
      this.files,
      this.result.vehicleOf.map((v) => v.typeId),
    );
    return this.result;
  }

  private fail(source: SumoSource, attribute: string, message: string): Error {
    const path = `${source.path}.${attribute}`;
    return errors.CB_SUMO_ROUTES_INVALID(`${this.fileName}:${source.line}: ${path}: ${message}`, { path });
  }

  private addItem(item: SumoDemandItem): void {
    const { timeZeroS, startS, endS, warnings } = this.settings;
    const departures =
      item.element === 'flow'
        ? flowDepartures(item, this.random, endS - timeZeroS)
        : [{ id: item.id, departS: item.departS! }];
    let outside = 0;
    for (const { id, departS: sumoDepartS } of departures) {
      // Draws happen for every vehicle, in or out of the period, so the period does not shift later vehicles' draws.
      const typeId = this.chosenType(item.typeId);
      const vClass = this.typeClass.get(typeId) ?? 'passenger';
      const routeId = this.routeIdOf(item);
      const departS = timeZeroS + sumoDepartS;
      if (departS < startS || departS >= endS) {
        outside++;
        continue;
      }
      const use = vehicleClassUse(vClass);
      const where = `line ${item.source.line}, ${item.source.path}`;
      if (use === 'skipped') {
        warnings.add('W_SUMO_SKIPPED', this.fileName, `${where}: "${id}" of vClass ${vClass} left out`);
        continue;
      }
      if (use === 'car-like') {
        warnings.add('W_SUMO_VEHICLE_CLASS', this.fileName, `${where}: "${id}" (vClass ${vClass}) runs as a car`);
      }
      this.addVehicle(item, id, departS, routeId, typeId);
    }
    this.markWholeFlow(item, departures.length, outside);
    if (outside > 0) {
      warnings.add(
        'W_SUMO_OUTSIDE_PERIOD',
        this.fileName,
        `line ${item.source.line}, ${item.source.path}: ${outside} vehicle(s) of ${item.element} "${item.id}" depart outside the period`,
      );
    }
  }

  /**
   * A flow whose every vehicle became a through trip on one route, spaced by a fixed period, is written back by
   * export-sumo as that flow: SUMO builds a flow's vehicles when they are due and a file's vehicles ahead, so the
   * same cars as single vehicles draw their speed factors in another order and drive otherwise.
   */
  private markWholeFlow(item: SumoDemandItem, count: number, outside: number): void {
    const vehicle = this.vehicleOfItem.get(item);
    if (item.element !== 'flow' || item.spacing?.kind !== 'period' || vehicle === undefined || outside > 0) return;
    const { trips } = this.result;
    const first = trips.length - count;
    const isWhole =
      count > 0 &&
      first >= 0 &&
      this.result.vehicleOf.length === trips.length &&
      trips.slice(first).every((trip, k) => trip.id === `${item.id}.${k}` && trip.purpose === 'through') &&
      (item.routeId === undefined || !this.routeDistributions.has(item.routeId));
    if (!isWhole) return;
    const { timeZeroS } = this.settings;
    vehicle.flow = {
      id: item.id,
      beginS: timeZeroS + (item.beginS ?? 0),
      ...(Number.isFinite(item.endS) ? { endS: timeZeroS + item.endS! } : {}),
      rates: item.flowRates ?? {},
    };
  }

  /** The vType of one vehicle: `typeId`, or the one drawn from the distribution it names. */
  private chosenType(typeId: string): string {
    const distribution = this.typeDistributions.get(typeId);
    if (distribution === undefined) return typeId;
    return distribution.ids[drawWeighted(this.random, distribution.weights)]!;
  }

  private routeIdOf(item: SumoDemandItem): string | undefined {
    if (item.routeId === undefined) return undefined;
    const distribution = this.routeDistributions.get(item.routeId);
    if (distribution === undefined) return item.routeId;
    return distribution.ids[drawWeighted(this.random, distribution.weights)]!;
  }

  private addVehicle(
    item: SumoDemandItem,
    id: string,
    departS: number,
    routeId: string | undefined,
    typeId: string,
  ): void {
    const { router, warnings } = this.settings;
    const route = routeId === undefined ? undefined : this.routes.get(routeId)!;
    const edgeIds = route?.edgeIds ?? item.edgeIds;
    const stops = [...(route?.stops ?? []), ...item.stops];
    const attribute = item.fromEdgeId !== undefined ? 'from' : 'route';
    const where = `line ${item.source.line}, ${item.source.path}`;
    if (edgeIds !== undefined)
      this.checkRoute(edgeIds, route?.source ?? item.source, route === undefined ? item : undefined);
    const originEdgeId = edgeIds?.[0] ?? item.fromEdgeId!;
    const lastEdgeId = edgeIds?.at(-1) ?? item.toEdgeId!;
    for (const [edgeId, name] of [
      [originEdgeId, attribute],
      [lastEdgeId, item.toEdgeId === undefined ? 'route' : 'to'],
      ...(item.viaEdgeIds ?? []).map((via) => [via, 'via']),
    ] as const) {
      if (router.edgeIndex(edgeId) < 0)
        throw this.fail(item.source, name, `unknown edge "${edgeId}" (or not open to cars)`);
    }
    if (item.viaEdgeIds !== undefined) {
      warnings.add(
        'W_SUMO_ROUTE_CHANGED',
        this.fileName,
        `${where}: "${id}": via edges are not followed (shortest path from → to)`,
      );
    }
    const parking = stops.findIndex((stop) => stop.parkingAreaId !== undefined);
    const ignored = stops.filter((_, i) => i !== parking).length;
    if (ignored > 0)
      warnings.add('W_SUMO_STOP_IGNORED', this.fileName, `${where}: "${id}": ${ignored} stop(s) not simulated`);
    const flow = item.element === 'flow' ? `sumo:${item.id}` : 'sumo:vehicles';
    if (parking < 0) {
      this.push(
        tripOf({ id, purpose: 'through', departS, originEdgeId, destinationEdgeId: lastEdgeId }),
        flow,
        item,
        typeId,
      );
      this.result.throughTrips++;
      return;
    }
    const stop = stops[parking]!;
    const lot = this.lotById.get(stop.parkingAreaId!);
    if (lot === undefined) {
      throw this.fail(stop.source, 'parkingArea', `"${stop.parkingAreaId}" is not a lot of the scenario`);
    }
    if (edgeIds !== undefined && !edgeIds.includes(lot.entryEdgeId)) {
      throw this.fail(
        stop.source,
        'parkingArea',
        `the route does not pass "${lot.entryEdgeId}", the parkingArea's edge`,
      );
    }
    const after = edgeIds === undefined ? undefined : edgeIds.slice(edgeIds.lastIndexOf(lot.entryEdgeId));
    const returnDestinationEdgeId = after === undefined ? lastEdgeId : after.length > 1 ? after.at(-1) : undefined;
    this.push(
      tripOf({
        id,
        purpose: 'park',
        departS,
        originEdgeId,
        lotId: lot.id,
        bayKind: 'standard',
        isKindRequired: false,
        stayS: this.stayS(stop, departS, originEdgeId, lot),
        returnDestinationEdgeId: returnDestinationEdgeId === lot.entryEdgeId ? undefined : returnDestinationEdgeId,
        followsSigns: false,
        searchesWhenFull: false,
        knowsSharedLots: false,
        isPreAssigned: true,
      }),
      flow,
      item,
      typeId,
    );
    this.result.parkTrips++;
  }

  private push(trip: Trip, flow: string, item: SumoDemandItem, typeId: string): void {
    // The driver's speed factor as SUMO draws it: the vehicle's own `speedFactor` when it gives a number, else one draw
    // from its vType's distribution (SUMO's default passenger car when the files do not define the type).
    const speed = this.typeSpeed.get(typeId) ?? SUMO_PASSENGER_SPEED;
    const own = Number(item.vehicleAttributes.speedFactor);
    trip.speedFactor = own > 0 ? own : drawSpeedFactor(this.speedSeed, trip.id, speed);
    trip.maxSpeedMps = speed.maxSpeedMps;
    this.result.trips.push(trip);
    this.result.flowOf.push(flow);
    // One object per element: a flow's vehicles share it.
    let vehicle = this.vehicleOfItem.get(item);
    if (vehicle === undefined) {
      vehicle = { typeId: item.typeId, attributes: item.vehicleAttributes };
      this.vehicleOfItem.set(item, vehicle);
    }
    this.result.vehicleOf.push(vehicle);
  }

  /** `duration`, or `until` less the free-flow arrival at the lot (SUMO counts `until` from SUMO time 0). */
  private stayS(stop: SumoStop, departS: number, originEdgeId: string, lot: ParkingLot): number {
    if (stop.durationS !== undefined) return stop.durationS;
    let cost = this.lotCost.get(lot.id);
    if (cost === undefined) {
      cost = this.settings.router.treeTo(lot.entryEdgeId).costS;
      this.lotCost.set(lot.id, cost);
    }
    const arrivalS = departS + cost[this.settings.router.edgeIndex(originEdgeId)]!;
    return Math.max(0, this.settings.timeZeroS + stop.untilS! - arrivalS);
  }

  /**
   * Every edge known and each connected to the next; a route that is not the one the link model drives between its ends
   * (its destination's shortest-path tree, as `LinkGraph` walks it: ties broken as there) is reported.
   */
  private checkRoute(edgeIds: readonly string[], source: SumoSource, vehicle: SumoDemandItem | undefined): void {
    const key = edgeIds.join(' ');
    const known = this.isDriven.get(key);
    const { router, warnings } = this.settings;
    if (known === undefined) {
      for (const [i, edgeId] of edgeIds.entries()) {
        const e = router.edgeIndex(edgeId);
        if (e < 0) throw this.fail(source, 'edges', `unknown edge "${edgeId}" (or not open to cars)`);
        const next = edgeIds[i + 1];
        if (next !== undefined && !router.successors(e).includes(router.edgeIndex(next))) {
          throw this.fail(source, 'edges', `no connection from edge "${edgeId}" to "${next}"`);
        }
      }
      this.isDriven.set(key, this.isModelPath(edgeIds));
    }
    if (this.isDriven.get(key) === false) {
      const at = vehicle?.source ?? source;
      warnings.add(
        'W_SUMO_ROUTE_CHANGED',
        this.fileName,
        `line ${at.line}, ${at.path}: the route is not the shortest path citybay drives between its ends (it drives that one)`,
      );
    }
  }

  /** Whether `edgeIds` (known and connected) is the path down its last edge's shortest-path tree from its first edge. */
  private isModelPath(edgeIds: readonly string[]): boolean {
    const { router } = this.settings;
    const path = this.modelPaths.indices(router.edgeIndex(edgeIds[0]!), router.edgeIndex(edgeIds.at(-1)!));
    return (
      path !== undefined && path.length === edgeIds.length && path.every((e, i) => e === router.edgeIndex(edgeIds[i]!))
    );
  }
}
