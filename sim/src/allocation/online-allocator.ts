import { errors } from '../errors.js';
import type { Appointment } from '../model/index.js';
import { type AllocationInstance, type CarOption, type CompiledDay, compileDay } from './allocation-instance.js';
import {
  ALLOCATABLE_KINDS,
  type AllocationDay,
  type AllocationPlan,
  type Assignment,
  activeDay,
  INACTIVE_STATUSES,
} from './allocation-types.js';
import type {
  AllocationEvent,
  AllocationUpdate,
  OnlineAllocator,
  OnlineAllocatorOptions,
} from './online-allocator-types.js';
import { assignZones, buildPlan, zoneOccupancy } from './plan-builder.js';
import { solveAllocation } from './solve-allocation.js';
import { buildMovableInstance } from './movable-instance.js';
import { type Car, describeCar } from './online-car.js';

export type {
  AllocationEvent,
  AllocationUpdate,
  OnlineAllocator,
  OnlineAllocatorOptions,
} from './online-allocator-types.js';

const EJECTION_TRIALS = 64;

/**
 * Plans the day with {@link allocate}'s optimiser, then keeps the plan right event by event. Each event
 * touches only the cars it concerns: freed bays go to planned cars that gain from them (cheapest first),
 * a car that must move takes its cheapest option with room, pushing one planned car to its own next best
 * option when the pair gains. Cars en route are never moved to an option costing more than promised
 * unless their lot closes; parked cars never move.
 */
export function createOnlineAllocator(day: AllocationDay, options: OnlineAllocatorOptions = {}): OnlineAllocator {
  const { day: active, skipped } = activeDay(day);
  return new DayAllocator(active, skipped, options);
}

// A class rather than closures: V8 keeps type feedback per function, so methods shared through the
// prototype stay optimised from one day's allocator to the next in a long-running service.
class DayAllocator implements OnlineAllocator {
  readonly initialPlan: AllocationPlan;
  private readonly compiled: CompiledDay;
  private readonly inst: AllocationInstance;
  private readonly T: number;
  private readonly slotMs: number;
  private readonly graceMs: number;
  private readonly chainCap: Int32Array;
  private readonly gateCap: Int32Array;
  private readonly chainLoad: Int32Array;
  private readonly gateLoad: Int32Array;
  private readonly zoneCap: number[][];
  private readonly zoneLoad: Int32Array[][];
  private readonly cars: Car[] = [];
  private readonly byId = new Map<string, number>();
  private readonly byArrival: number[][];
  private maxStay = 1;
  /** Appointments that needed no bay (by status); events about them change nothing. */
  private readonly skippedIds: Set<string>;

  constructor(
    private readonly day: AllocationDay,
    skipped: AllocationPlan['skipped'],
    options: OnlineAllocatorOptions,
  ) {
    this.skippedIds = new Set(skipped.map((s) => s.appointmentId));
    const compiled = compileDay(day, options);
    const inst = compiled.instance;
    const solved = solveAllocation(
      inst,
      compiled.options.priceIterations,
      compiled.options.exactSearchNodes,
      compiled.options.stopGapPct,
    );
    this.compiled = compiled;
    this.inst = inst;
    this.initialPlan = {
      ...buildPlan(compiled, day, solved.state, solved.lowerBoundS, solved.isProvenOptimal),
      skipped,
    };
    const T = inst.slotCount;
    this.T = T;
    this.slotMs = inst.slotMin * 60_000;
    this.graceMs = (options.noShowGraceMin ?? 15) * 60_000;
    this.chainCap = inst.chainCap.slice();
    this.gateCap = inst.gateCap.slice();
    this.chainLoad = new Int32Array(this.chainCap.length);
    this.gateLoad = new Int32Array(this.gateCap.length);
    this.zoneCap = day.lots.map((lot) =>
      lot.zones.flatMap((zone) => ALLOCATABLE_KINDS.map((kind) => zone.capacityByKind[kind] ?? 0)),
    );
    const occupied = zoneOccupancy(day, inst.slotMin, T);
    this.zoneLoad = day.lots.map((lot) =>
      lot.zones.flatMap((zone) =>
        ALLOCATABLE_KINDS.map((kind) => occupied.get(`${lot.id}/${zone.id}/${kind}`) ?? new Int32Array(T)),
      ),
    );
    this.byArrival = Array.from({ length: T }, () => []);
    const zones = assignZones(compiled, day, solved.state);
    day.appointments.forEach((appointment, i) => {
      const arrival = inst.arrivalSlot[i] as number;
      const depart = inst.departSlot[i] as number;
      const car = this.addCar(appointment, arrival, depart, compiled.optionsFor(appointment, arrival));
      const o = solved.state.choice[i] as number;
      if (o < 0) return;
      const chain = inst.optChain[o] as number;
      const zoneId = zones[i];
      const lot = day.lots[inst.optLot[o] as number];
      this.place(
        car,
        car.options.findIndex((x) => x.chain === chain),
        Math.max(0, lot?.zones.findIndex((z) => z.id === zoneId) ?? 0),
      );
    });
  }

  onEvent(event: AllocationEvent): AllocationUpdate {
    const { touched, released } = this.handle(event);
    const seen = new Set<Car>();
    const changed: Assignment[] = [];
    for (const car of [...released, ...touched]) {
      if (seen.has(car)) continue;
      seen.add(car);
      changed.push(this.describe(car));
    }
    return {
      event: event.type,
      changed,
      released: released.map((c) => c.appointment.id),
      objectiveS: this.objectiveS(),
    };
  }

  assignment(appointmentId: string): Assignment | undefined {
    const index = this.byId.get(appointmentId);
    const car = index === undefined ? undefined : this.cars[index];
    return car === undefined ? undefined : this.describe(car);
  }

  objectiveS(): number {
    let sum = 0;
    for (const car of this.cars) if (car.status !== 'released') sum += this.costOf(car);
    return sum;
  }

  private slotOf(ms: number): number {
    return Math.min(this.T - 1, Math.max(0, Math.floor((ms - this.day.dayStartMs) / this.slotMs)));
  }

  private costOf(car: Car): number {
    return car.choice < 0 ? this.inst.unplacedPenaltyS : (car.options[car.choice]?.costS ?? 0);
  }

  private isMovable(car: Car, nowSlot: number): boolean {
    return car.status === 'planned' && car.arrival >= nowSlot;
  }

  private fits(car: Car, option: CarOption): boolean {
    const gate = option.lot * this.T + car.arrival;
    if ((this.gateLoad[gate] as number) >= (this.gateCap[gate] as number)) return false;
    const base = option.chain * this.T;
    for (let t = base + car.arrival; t < base + car.depart; t++)
      if ((this.chainLoad[t] as number) >= (this.chainCap[t] as number)) return false;
    return true;
  }

  private hold(car: Car, from: number, to: number, withGate: boolean, delta: 1 | -1): void {
    const option = car.options[car.choice];
    if (option === undefined) return;
    const base = option.chain * this.T;
    for (let t = from; t < to; t++) this.chainLoad[base + t] = (this.chainLoad[base + t] as number) + delta;
    if (withGate)
      this.gateLoad[option.lot * this.T + car.arrival] =
        (this.gateLoad[option.lot * this.T + car.arrival] as number) + delta;
    const zl = this.zoneLoad[option.lot]?.[car.zone * ALLOCATABLE_KINDS.length + option.kind];
    if (zl !== undefined) for (let t = from; t < to; t++) zl[t] = (zl[t] as number) + delta;
  }

  private place(car: Car, choice: number, zone?: number): void {
    car.choice = choice;
    const option = car.options[choice];
    if (option === undefined) return;
    if (zone !== undefined) car.zone = zone;
    else {
      let best = 0;
      let bestFree = Number.NEGATIVE_INFINITY;
      (this.zoneCap[option.lot] ?? []).forEach((cap, index) => {
        if (index % ALLOCATABLE_KINDS.length !== option.kind || cap <= 0) return;
        const load = this.zoneLoad[option.lot]?.[index];
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
    this.hold(car, car.arrival, car.depart, true, 1);
  }

  private unplace(car: Car): void {
    if (car.choice >= 0) this.hold(car, car.heldFrom, car.heldTo, car.holdsGate, -1);
    car.choice = -1;
    car.heldFrom = car.heldTo = 0;
    car.holdsGate = false;
  }

  /** Gives back bays from slot `from` on (and the gate passage when the car had not arrived yet). */
  private release(car: Car, from: number): void {
    if (car.choice >= 0) {
      const cut = Math.max(car.heldFrom, from);
      this.hold(car, cut, car.heldTo, false, -1);
      car.heldTo = cut;
      if (car.holdsGate && from <= car.arrival) {
        const option = car.options[car.choice];
        if (option !== undefined)
          this.gateLoad[option.lot * this.T + car.arrival] =
            (this.gateLoad[option.lot * this.T + car.arrival] as number) - 1;
        car.holdsGate = false;
      }
    }
    car.status = 'released';
  }

  private cheapestFit(car: Car, limitS: number): number {
    let best = -1;
    let bestCost = limitS;
    car.options.forEach((option, o) => {
      if (option.costS < bestCost && this.fits(car, option)) {
        best = o;
        bestCost = option.costS;
      }
    });
    return best;
  }

  /**
   * Puts `car` (currently unplaced) on its cheapest option with room, or on a cheaper full one by pushing
   * one movable car to its next best option when the pair gains. Returns the cars that moved.
   */
  private insert(car: Car, nowSlot: number, limitS: number): Car[] {
    const direct = this.cheapestFit(car, limitS);
    const directCost = direct < 0 ? this.inst.unplacedPenaltyS : (car.options[direct]?.costS ?? 0);
    const moved: Car[] = [];
    const order = car.options
      .map((_, o) => o)
      .filter((o) => (car.options[o]?.costS ?? 0) < Math.min(directCost, limitS));
    order.sort((x, y) => (car.options[x]?.costS ?? 0) - (car.options[y]?.costS ?? 0));
    let trials = 0;
    for (const o of order) {
      const option = car.options[o] as CarOption;
      for (let s = Math.max(nowSlot, car.arrival - this.maxStay); s < car.depart; s++) {
        for (const j of this.byArrival[s] ?? []) {
          const other = this.cars[j] as Car;
          const oj = other.options[other.choice];
          if (other === car || oj === undefined || !this.isMovable(other, nowSlot) || other.depart <= car.arrival)
            continue;
          if (oj.chain !== option.chain && !(oj.lot === option.lot && other.arrival === car.arrival)) continue;
          // Bounded so one event stays within its latency budget on a crowded day.
          if (++trials > EJECTION_TRIALS) break;
          const before = this.costOf(other);
          const oldChoice = other.choice;
          const oldZone = other.zone;
          this.unplace(other);
          if (!this.fits(car, option)) {
            this.place(other, oldChoice, oldZone);
            continue;
          }
          this.place(car, o);
          const next = this.cheapestFit(other, this.inst.unplacedPenaltyS);
          const after = next < 0 ? this.inst.unplacedPenaltyS : (other.options[next]?.costS ?? 0);
          if (directCost - option.costS + before - after > 1e-9) {
            if (next >= 0) this.place(other, next);
            moved.push(other);
            return moved;
          }
          this.unplace(car);
          this.place(other, oldChoice, oldZone);
        }
      }
    }
    if (direct >= 0) this.place(car, direct);
    return moved;
  }

  /** Planned cars overlapping `[from, to)` move to cheaper options that now have room. */
  private refill(from: number, to: number, nowSlot: number): Car[] {
    const moved: Car[] = [];
    for (let s = Math.max(nowSlot, from - this.maxStay); s < Math.min(this.T, to); s++) {
      for (const j of this.byArrival[s] ?? []) {
        const car = this.cars[j] as Car;
        if (!this.isMovable(car, nowSlot) || car.depart <= from) continue;
        const current = this.costOf(car);
        const better = this.cheapestFit(car, current - 1e-9);
        if (better < 0) continue;
        this.unplace(car);
        this.place(car, better);
        moved.push(car);
      }
    }
    return moved;
  }

  private addCar(appointment: Appointment, arrival: number, depart: number, options: CarOption[]): Car {
    const car: Car = {
      appointment,
      arrival,
      depart,
      options,
      choice: -1,
      status: 'planned',
      promisedCostS: Number.POSITIVE_INFINITY,
      zone: 0,
      heldFrom: 0,
      heldTo: 0,
      holdsGate: false,
    };
    this.byId.set(appointment.id, this.cars.length);
    this.byArrival[arrival]?.push(this.cars.length);
    this.cars.push(car);
    this.maxStay = Math.max(this.maxStay, depart - arrival);
    return car;
  }

  private describe(car: Car): Assignment {
    return describeCar(car, this.day, this.compiled);
  }

  private carOf(appointmentId: string): Car {
    const index = this.byId.get(appointmentId);
    const car = index === undefined ? undefined : this.cars[index];
    if (car === undefined)
      throw errors.CB_ALLOCATION_INVALID(`event: appointmentId: unknown appointment "${appointmentId}"`, {
        path: 'event.appointmentId',
      });
    return car;
  }

  private handle(event: AllocationEvent): { touched: Car[]; released: Car[] } {
    const nowSlot = this.slotOf(event.atMs);
    if ('appointmentId' in event && this.skippedIds.has(event.appointmentId)) return { touched: [], released: [] };
    switch (event.type) {
      case 'en-route': {
        const car = this.carOf(event.appointmentId);
        if (car.status === 'planned') {
          car.status = 'en-route';
          car.promisedCostS = this.costOf(car);
        }
        return { touched: [], released: [] };
      }
      case 'parked': {
        const car = this.carOf(event.appointmentId);
        if (car.status !== 'released') car.status = 'parked';
        return { touched: [], released: [] };
      }
      case 'no-show':
      case 'cancelled': {
        const car = this.carOf(event.appointmentId);
        if (car.status === 'released' || car.status === 'parked') return { touched: [], released: [] };
        const from = event.type === 'no-show' ? this.slotOf(event.atMs + this.graceMs) : nowSlot;
        const to = car.heldTo;
        this.release(car, from);
        return { touched: this.refill(from, to, nowSlot), released: [car] };
      }
      case 'arrival-changed': {
        const car = this.carOf(event.appointmentId);
        if (car.status === 'released' || car.status === 'parked') return { touched: [], released: [] };
        const { arrival, depart } = this.compiled.slotsFor(car.appointment, event.expectedArrivalMs);
        if (!Number.isFinite(event.expectedArrivalMs) || depart > this.T) {
          throw errors.CB_ALLOCATION_INVALID(
            `event: expectedArrivalMs: ${event.expectedArrivalMs} is not a time within the planned day`,
            { path: 'event.expectedArrivalMs' },
          );
        }
        const previous = car.options[car.choice];
        const [oldFrom, oldTo] = [car.arrival, car.depart];
        this.unplace(car);
        const list = this.byArrival[car.arrival];
        list?.splice(list.indexOf(this.byId.get(car.appointment.id) ?? -1), 1);
        car.arrival = arrival;
        car.depart = depart;
        this.byArrival[arrival]?.push(this.byId.get(car.appointment.id) ?? -1);
        this.maxStay = Math.max(this.maxStay, depart - arrival);
        car.options = this.compiled.optionsFor(car.appointment, arrival);
        const same = previous === undefined ? -1 : car.options.findIndex((o) => o.chain === previous.chain);
        const touched: Car[] = [car];
        const sameOption = car.options[same];
        if (sameOption !== undefined && this.fits(car, sameOption)) this.place(car, same);
        else
          touched.push(
            ...this.insert(
              car,
              nowSlot,
              car.status === 'en-route' ? car.promisedCostS + 1e-9 : Number.POSITIVE_INFINITY,
            ),
          );
        if (car.choice < 0 && car.status === 'en-route')
          touched.push(...this.insert(car, nowSlot, Number.POSITIVE_INFINITY));
        touched.push(...this.refill(oldFrom, oldTo, nowSlot));
        return { touched, released: [] };
      }
      case 'new-appointment': {
        if (this.byId.has(event.appointment.id) || this.skippedIds.has(event.appointment.id))
          throw errors.CB_ALLOCATION_INVALID(
            `event: appointment.id: appointment "${event.appointment.id}" already exists`,
            { path: 'event.appointment.id' },
          );
        this.compiled.validateAppointment(event.appointment, 'event.appointment');
        if (INACTIVE_STATUSES.includes(event.appointment.status)) {
          this.skippedIds.add(event.appointment.id);
          return { touched: [], released: [] };
        }
        const { arrival, depart } = this.compiled.slotsFor(event.appointment);
        if (depart > this.T)
          throw errors.CB_ALLOCATION_INVALID(
            `event: appointment.endMs: appointment "${event.appointment.id}" ends after the planned day`,
            { path: 'event.appointment.endMs' },
          );
        const car = this.addCar(
          event.appointment,
          arrival,
          depart,
          this.compiled.optionsFor(event.appointment, arrival),
        );
        return { touched: [car, ...this.insert(car, nowSlot, Number.POSITIVE_INFINITY)], released: [] };
      }
      case 'lot-closed': {
        const l = this.day.lots.findIndex((lot) => lot.id === event.lotId);
        if (l < 0)
          throw errors.CB_ALLOCATION_INVALID(`event: lotId: unknown lot "${event.lotId}"`, { path: 'event.lotId' });
        const until = event.untilMs === undefined ? this.T : this.slotOf(event.untilMs);
        for (let t = nowSlot; t < until; t++) this.gateCap[l * this.T + t] = 0;
        const affected = this.cars.filter(
          (car) =>
            car.options[car.choice]?.lot === l &&
            car.arrival >= nowSlot &&
            car.arrival < until &&
            (car.status === 'planned' || car.status === 'en-route'),
        );
        for (const car of affected) this.unplace(car);
        // Cars already on their way choose first: they lost the most.
        affected.sort(
          (x, y) => Number(y.status === 'en-route') - Number(x.status === 'en-route') || x.arrival - y.arrival,
        );
        const touched: Car[] = [...affected];
        for (const car of affected) touched.push(...this.insert(car, nowSlot, Number.POSITIVE_INFINITY));
        return { touched, released: [] };
      }
      case 'reoptimise':
        return { touched: this.reoptimise(nowSlot), released: [] };
    }
  }

  /** The movable cars as an instance of their own, over the bays and gate passages the others leave. */
  private reoptimise(nowSlot: number): Car[] {
    const movable = this.cars.filter((car) => this.isMovable(car, nowSlot));
    if (movable.length === 0) return [];
    const { sub, optStart } = buildMovableInstance(this.inst, movable, {
      chainCap: this.chainCap,
      chainLoad: this.chainLoad,
      gateCap: this.gateCap,
      gateLoad: this.gateLoad,
    });
    const { priceIterations, stopGapPct } = this.compiled.options;
    const solved = solveAllocation(sub, priceIterations, 0, stopGapPct);
    const before = movable.reduce((sum, car) => sum + this.costOf(car), 0);
    if (solved.state.objective() >= before - 1e-6) return [];
    const moved: Car[] = [];
    const previous = movable.map((car) => ({ choice: car.choice, zone: car.zone }));
    for (const car of movable) this.unplace(car);
    movable.forEach((car, i) => {
      const o = solved.state.choice[i] as number;
      const choice = o < 0 ? -1 : o - (optStart[i] as number);
      const kept = previous[i]?.choice === choice;
      if (choice >= 0) this.place(car, choice, kept ? previous[i]?.zone : undefined);
      if (!kept) moved.push(car);
    });
    return moved;
  }
}
