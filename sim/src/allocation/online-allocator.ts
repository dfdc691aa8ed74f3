import { errors } from '../errors.js';
import type { Appointment } from '../model/index.js';
import { type CarOption, type CompiledDay, compileDay } from './allocation-instance.js';
import type { AllocationDay, AllocationOptions, AllocationPlan, Assignment } from './allocation-types.js';
import { ALLOCATABLE_KINDS } from './allocation-types.js';
import { assignZones, buildPlan } from './plan-builder.js';
import { solveAllocation } from './solve-allocation.js';
import { describeRoute } from '../routing/route-text.js';

/** Something that happened during the day; `atMs` is when (ms since the epoch). */
export type AllocationEvent =
  /** The car will reach the lot earlier or later than planned (from tracking or a message). */
  | { type: 'arrival-changed'; appointmentId: string; expectedArrivalMs: number; atMs: number }
  /** The car set off towards its promised lot: from now on it is never moved to something worse. */
  | { type: 'en-route'; appointmentId: string; atMs: number }
  | { type: 'parked'; appointmentId: string; atMs: number }
  /** The car did not come; its bay is released after the no-show grace time. */
  | { type: 'no-show'; appointmentId: string; atMs: number }
  | { type: 'cancelled'; appointmentId: string; atMs: number }
  | { type: 'new-appointment'; appointment: Appointment; atMs: number }
  /** The lot stops admitting cars from `atMs` until `untilMs` (default: the end of the day). */
  | { type: 'lot-closed'; lotId: string; atMs: number; untilMs?: number };

export interface AllocationUpdate {
  event: AllocationEvent['type'];
  /** Assignments that changed because of the event, as they are now. */
  changed: Assignment[];
  /** Appointments whose bay was given back. */
  released: string[];
  objectiveS: number;
}

export interface OnlineAllocatorOptions extends AllocationOptions {
  /** How long a no-show's bay stays held after the no-show is reported, minutes. Default 15. */
  noShowGraceMin?: number;
}

const EJECTION_TRIALS = 64;

type CarStatus = 'planned' | 'en-route' | 'parked' | 'released';

interface Car {
  appointment: Appointment;
  arrival: number;
  depart: number;
  options: CarOption[];
  choice: number;
  status: CarStatus;
  /** Cost the car was promised when it set off (en-route cars never get worse than this). */
  promisedCostS: number;
  zone: number;
  /** Slots whose bay load this car currently holds: `[heldFrom, heldTo)`; gate counted when `holdsGate`. */
  heldFrom: number;
  heldTo: number;
  holdsGate: boolean;
}

export interface OnlineAllocator {
  /** The plan the day started from. */
  readonly initialPlan: AllocationPlan;
  onEvent(event: AllocationEvent): AllocationUpdate;
  assignment(appointmentId: string): Assignment | undefined;
  objectiveS(): number;
}

/**
 * Plans the day with {@link allocate}'s optimiser, then keeps the plan right event by event. Each event
 * touches only the cars it concerns: freed bays go to planned cars that gain from them (cheapest first),
 * a car that must move takes its cheapest option with room, pushing one planned car to its own next best
 * option when the pair gains. Cars en route are never moved to an option costing more than promised
 * unless their lot closes; parked cars never move.
 */
export function createOnlineAllocator(day: AllocationDay, options: OnlineAllocatorOptions = {}): OnlineAllocator {
  const compiled: CompiledDay = compileDay(day, options);
  const inst = compiled.instance;
  const solved = solveAllocation(inst, compiled.options.priceIterations, compiled.options.exactSearchNodes, compiled.options.stopGapPct);
  const initialPlan = buildPlan(compiled, day, solved.state, solved.lowerBoundS, solved.isProvenOptimal);
  const T = inst.slotCount;
  const slotMs = inst.slotMin * 60_000;
  const graceMs = (options.noShowGraceMin ?? 15) * 60_000;
  const chainCap = inst.chainCap.slice();
  const gateCap = inst.gateCap.slice();
  const chainLoad = new Int32Array(chainCap.length);
  const gateLoad = new Int32Array(gateCap.length);
  const zoneCap: number[][] = day.lots.map((lot) => lot.zones.flatMap((zone) => ALLOCATABLE_KINDS.map((kind) => zone.capacityByKind[kind] ?? 0)));
  const zoneLoad: Int32Array[][] = day.lots.map((lot) => lot.zones.flatMap(() => ALLOCATABLE_KINDS.map(() => new Int32Array(T))));
  const cars: Car[] = [];
  const byId = new Map<string, number>();
  const byArrival: number[][] = Array.from({ length: T }, () => []);
  let maxStay = 1;

  const slotOf = (ms: number): number => Math.min(T - 1, Math.max(0, Math.floor((ms - day.dayStartMs) / slotMs)));
  const costOf = (car: Car): number => (car.choice < 0 ? inst.unplacedPenaltyS : (car.options[car.choice]?.costS ?? 0));

  function fits(car: Car, option: CarOption): boolean {
    const gate = option.lot * T + car.arrival;
    if ((gateLoad[gate] as number) >= (gateCap[gate] as number)) return false;
    const base = option.chain * T;
    for (let t = base + car.arrival; t < base + car.depart; t++) if ((chainLoad[t] as number) >= (chainCap[t] as number)) return false;
    return true;
  }

  function hold(car: Car, from: number, to: number, withGate: boolean, delta: 1 | -1): void {
    const option = car.options[car.choice];
    if (option === undefined) return;
    const base = option.chain * T;
    for (let t = from; t < to; t++) chainLoad[base + t] = (chainLoad[base + t] as number) + delta;
    if (withGate) gateLoad[option.lot * T + car.arrival] = (gateLoad[option.lot * T + car.arrival] as number) + delta;
    const zl = zoneLoad[option.lot]?.[car.zone * ALLOCATABLE_KINDS.length + option.kind];
    if (zl !== undefined) for (let t = from; t < to; t++) zl[t] = (zl[t] as number) + delta;
  }

  function place(car: Car, choice: number, zone?: number): void {
    car.choice = choice;
    const option = car.options[choice];
    if (option === undefined) return;
    if (zone !== undefined) car.zone = zone;
    else {
      let best = 0;
      let bestFree = Number.NEGATIVE_INFINITY;
      (zoneCap[option.lot] ?? []).forEach((cap, index) => {
        if (index % ALLOCATABLE_KINDS.length !== option.kind || cap <= 0) return;
        const load = zoneLoad[option.lot]?.[index];
        let peak = 0;
        for (let t = car.arrival; t < car.depart; t++) peak = Math.max(peak, load?.[t] ?? 0);
        if (cap - peak > bestFree) {
          bestFree = cap - peak;
          best = Math.floor(index / ALLOCATABLE_KINDS.length);
        }
      });
      car.zone = best;
    }
    car.heldFrom = car.arrival;
    car.heldTo = car.depart;
    car.holdsGate = true;
    hold(car, car.arrival, car.depart, true, 1);
  }

  function unplace(car: Car): void {
    if (car.choice >= 0) hold(car, car.heldFrom, car.heldTo, car.holdsGate, -1);
    car.choice = -1;
    car.heldFrom = car.heldTo = 0;
    car.holdsGate = false;
  }

  /** Gives back bays from slot `from` on (and the gate passage when the car had not arrived yet). */
  function release(car: Car, from: number): void {
    if (car.choice >= 0) {
      const cut = Math.max(car.heldFrom, from);
      hold(car, cut, car.heldTo, false, -1);
      car.heldTo = cut;
      if (car.holdsGate && from <= car.arrival) {
        const option = car.options[car.choice];
        if (option !== undefined) gateLoad[option.lot * T + car.arrival] = (gateLoad[option.lot * T + car.arrival] as number) - 1;
        car.holdsGate = false;
      }
    }
    car.status = 'released';
  }

  function cheapestFit(car: Car, limitS: number): number {
    let best = -1;
    let bestCost = limitS;
    car.options.forEach((option, o) => {
      if (option.costS < bestCost && fits(car, option)) {
        best = o;
        bestCost = option.costS;
      }
    });
    return best;
  }

  const isMovable = (car: Car, nowSlot: number): boolean => car.status === 'planned' && car.arrival >= nowSlot;

  /**
   * Puts `car` (currently unplaced) on its cheapest option with room, or on a cheaper full one by pushing
   * one movable car to its next best option when the pair gains. Returns the cars that moved.
   */
  function insert(car: Car, nowSlot: number, limitS: number): Car[] {
    const direct = cheapestFit(car, limitS);
    const directCost = direct < 0 ? inst.unplacedPenaltyS : (car.options[direct]?.costS ?? 0);
    const moved: Car[] = [];
    const order = car.options.map((_, o) => o).filter((o) => (car.options[o]?.costS ?? 0) < Math.min(directCost, limitS));
    order.sort((x, y) => (car.options[x]?.costS ?? 0) - (car.options[y]?.costS ?? 0));
    let trials = 0;
    for (const o of order) {
      const option = car.options[o] as CarOption;
      for (let s = Math.max(nowSlot, car.arrival - maxStay); s < car.depart; s++) {
        for (const j of byArrival[s] ?? []) {
          const other = cars[j] as Car;
          const oj = other.options[other.choice];
          if (other === car || oj === undefined || !isMovable(other, nowSlot) || other.depart <= car.arrival) continue;
          if (oj.chain !== option.chain && !(oj.lot === option.lot && other.arrival === car.arrival)) continue;
          // Bounded so one event stays within its latency budget on a crowded day.
          if (++trials > EJECTION_TRIALS) break;
          const before = costOf(other);
          const oldChoice = other.choice;
          const oldZone = other.zone;
          unplace(other);
          if (!fits(car, option)) {
            place(other, oldChoice, oldZone);
            continue;
          }
          place(car, o);
          const next = cheapestFit(other, inst.unplacedPenaltyS);
          const after = next < 0 ? inst.unplacedPenaltyS : (other.options[next]?.costS ?? 0);
          if (directCost - option.costS + before - after > 1e-9) {
            if (next >= 0) place(other, next);
            moved.push(other);
            return moved;
          }
          unplace(car);
          place(other, oldChoice, oldZone);
        }
      }
    }
    if (direct >= 0) place(car, direct);
    return moved;
  }

  /** Planned cars overlapping `[from, to)` move to cheaper options that now have room. */
  function refill(from: number, to: number, nowSlot: number): Car[] {
    const moved: Car[] = [];
    for (let s = Math.max(nowSlot, from - maxStay); s < Math.min(T, to); s++) {
      for (const j of byArrival[s] ?? []) {
        const car = cars[j] as Car;
        if (!isMovable(car, nowSlot) || car.depart <= from) continue;
        const current = costOf(car);
        const better = cheapestFit(car, current - 1e-9);
        if (better < 0) continue;
        unplace(car);
        place(car, better);
        moved.push(car);
      }
    }
    return moved;
  }

  function addCar(appointment: Appointment, arrival: number, depart: number, options: CarOption[]): Car {
    const car: Car = { appointment, arrival, depart, options, choice: -1, status: 'planned', promisedCostS: Number.POSITIVE_INFINITY, zone: 0, heldFrom: 0, heldTo: 0, holdsGate: false };
    byId.set(appointment.id, cars.length);
    byArrival[arrival]?.push(cars.length);
    cars.push(car);
    maxStay = Math.max(maxStay, depart - arrival);
    return car;
  }

  const zones = assignZones(compiled, day, solved.state);
  day.appointments.forEach((appointment, i) => {
    const arrival = inst.arrivalSlot[i] as number;
    const depart = inst.departSlot[i] as number;
    const options = compiled.optionsFor(appointment, arrival);
    const car = addCar(appointment, arrival, depart, options);
    const o = solved.state.choice[i] as number;
    if (o < 0) return;
    const chain = inst.optChain[o] as number;
    const zoneId = zones[i];
    const lot = day.lots[inst.optLot[o] as number];
    place(car, options.findIndex((x) => x.chain === chain), Math.max(0, lot?.zones.findIndex((z) => z.id === zoneId) ?? 0));
  });

  function describe(car: Car): Assignment {
    const fromMs = day.dayStartMs + car.arrival * slotMs;
    const option = car.options[car.choice];
    const base = { appointmentId: car.appointment.id, arrivalWindow: { fromMs, toMs: fromMs + slotMs }, holdUntilMs: day.dayStartMs + car.heldTo * slotMs };
    if (option === undefined || car.status === 'released') {
      const penalty = car.status === 'released' ? 0 : inst.unplacedPenaltyS;
      return { ...base, placed: false, cost: { driveS: 0, walkS: 0, walkWeight: 0, weightedWalkS: 0, fallbackPenaltyS: 0, unplacedPenaltyS: penalty, totalS: penalty } };
    }
    const lot = day.lots[option.lot];
    const kind = ALLOCATABLE_KINDS[option.kind] ?? 'standard';
    const assignment: Assignment = {
      ...base,
      placed: true,
      lotId: lot?.id ?? '',
      lotName: lot?.name ?? '',
      zoneId: lot?.zones[car.zone]?.id ?? '',
      kind,
      cost: { driveS: option.driveS, walkS: option.walkS, walkWeight: option.walkWeight, weightedWalkS: option.walkS * option.walkWeight, fallbackPenaltyS: option.fallbackS, unplacedPenaltyS: 0, totalS: option.costS },
    };
    const wanted = car.appointment.needs.requiredKind ?? car.appointment.needs.preferredKinds[0];
    if (wanted !== undefined && wanted !== kind) assignment.fallbackFrom = wanted;
    const originEdge = compiled.originEdgeOf(car.appointment);
    if (compiled.options.includeRoutes && day.network !== undefined && originEdge !== undefined && lot !== undefined) {
      const path = compiled.treeFor(option.lot, car.arrival * inst.slotMin)?.pathFrom(originEdge);
      if (path !== undefined) assignment.route = { edgeIds: path.edgeIds, driveS: path.costS, text: describeRoute(day.network, path.edgeIds, `${lot.name} (${lot.id})`) };
    }
    return assignment;
  }

  function carOf(appointmentId: string): Car {
    const index = byId.get(appointmentId);
    const car = index === undefined ? undefined : cars[index];
    if (car === undefined) throw errors.CB_ALLOCATION_INVALID(`event: appointmentId: unknown appointment "${appointmentId}"`, { path: 'event.appointmentId' });
    return car;
  }

  function handle(event: AllocationEvent): { touched: Car[]; released: Car[] } {
    const nowSlot = slotOf(event.atMs);
    switch (event.type) {
      case 'en-route': {
        const car = carOf(event.appointmentId);
        if (car.status === 'planned') {
          car.status = 'en-route';
          car.promisedCostS = costOf(car);
        }
        return { touched: [], released: [] };
      }
      case 'parked': {
        const car = carOf(event.appointmentId);
        if (car.status !== 'released') car.status = 'parked';
        return { touched: [], released: [] };
      }
      case 'no-show':
      case 'cancelled': {
        const car = carOf(event.appointmentId);
        if (car.status === 'released' || car.status === 'parked') return { touched: [], released: [] };
        const from = event.type === 'no-show' ? slotOf(event.atMs + graceMs) : nowSlot;
        const to = car.heldTo;
        release(car, from);
        return { touched: refill(from, to, nowSlot), released: [car] };
      }
      case 'arrival-changed': {
        const car = carOf(event.appointmentId);
        if (car.status === 'released' || car.status === 'parked') return { touched: [], released: [] };
        const { arrival, depart } = compiled.slotsFor(car.appointment, event.expectedArrivalMs);
        const previous = car.options[car.choice];
        const [oldFrom, oldTo] = [car.arrival, car.depart];
        unplace(car);
        const list = byArrival[car.arrival];
        list?.splice(list.indexOf(byId.get(car.appointment.id) ?? -1), 1);
        car.arrival = arrival;
        car.depart = depart;
        byArrival[arrival]?.push(byId.get(car.appointment.id) ?? -1);
        maxStay = Math.max(maxStay, depart - arrival);
        car.options = compiled.optionsFor(car.appointment, arrival);
        const same = previous === undefined ? -1 : car.options.findIndex((o) => o.chain === previous.chain);
        const touched: Car[] = [car];
        const sameOption = car.options[same];
        if (sameOption !== undefined && fits(car, sameOption)) place(car, same);
        else touched.push(...insert(car, nowSlot, car.status === 'en-route' ? car.promisedCostS + 1e-9 : Number.POSITIVE_INFINITY));
        if (car.choice < 0 && car.status === 'en-route') touched.push(...insert(car, nowSlot, Number.POSITIVE_INFINITY));
        touched.push(...refill(oldFrom, oldTo, nowSlot));
        return { touched, released: [] };
      }
      case 'new-appointment': {
        if (byId.has(event.appointment.id)) throw errors.CB_ALLOCATION_INVALID(`event: appointment.id: appointment "${event.appointment.id}" already exists`, { path: 'event.appointment.id' });
        compiled.validateAppointment(event.appointment, 'event.appointment');
        const { arrival, depart } = compiled.slotsFor(event.appointment);
        if (depart > T) throw errors.CB_ALLOCATION_INVALID(`event: appointment.endMs: appointment "${event.appointment.id}" ends after the planned day`, { path: 'event.appointment.endMs' });
        const car = addCar(event.appointment, arrival, depart, compiled.optionsFor(event.appointment, arrival));
        return { touched: [car, ...insert(car, nowSlot, Number.POSITIVE_INFINITY)], released: [] };
      }
      case 'lot-closed': {
        const l = day.lots.findIndex((lot) => lot.id === event.lotId);
        if (l < 0) throw errors.CB_ALLOCATION_INVALID(`event: lotId: unknown lot "${event.lotId}"`, { path: 'event.lotId' });
        const until = event.untilMs === undefined ? T : slotOf(event.untilMs);
        for (let t = nowSlot; t < until; t++) gateCap[l * T + t] = 0;
        const affected = cars.filter((car) => car.options[car.choice]?.lot === l && car.arrival >= nowSlot && car.arrival < until && (car.status === 'planned' || car.status === 'en-route'));
        for (const car of affected) unplace(car);
        // Cars already on their way choose first: they lost the most.
        affected.sort((x, y) => Number(y.status === 'en-route') - Number(x.status === 'en-route') || x.arrival - y.arrival);
        const touched: Car[] = [...affected];
        for (const car of affected) touched.push(...insert(car, nowSlot, Number.POSITIVE_INFINITY));
        return { touched, released: [] };
      }
    }
  }

  return {
    initialPlan,
    onEvent(event) {
      const { touched, released } = handle(event);
      const seen = new Set<Car>();
      const changed: Assignment[] = [];
      for (const car of [...released, ...touched]) {
        if (seen.has(car)) continue;
        seen.add(car);
        changed.push(describe(car));
      }
      let objectiveS = 0;
      for (const car of cars) if (car.status !== 'released') objectiveS += costOf(car);
      return { event: event.type, changed, released: released.map((c) => c.appointment.id), objectiveS };
    },
    assignment(appointmentId) {
      const index = byId.get(appointmentId);
      const car = index === undefined ? undefined : cars[index];
      return car === undefined ? undefined : describe(car);
    },
    objectiveS() {
      let sum = 0;
      for (const car of cars) if (car.status !== 'released') sum += costOf(car);
      return sum;
    },
  };
}
