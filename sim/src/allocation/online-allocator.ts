import { errors } from '../errors.js';
import type { Appointment } from '../model/index.js';
import { type AllocationInstance, type CompiledDay, compileDay } from './allocation-instance.js';
import {
  type AllocationDay,
  type AllocationPlan,
  type Assignment,
  activeDay,
  INACTIVE_STATUSES,
} from './allocation-types.js';
import type { CarOption } from './car-options.js';
import type {
  AllocationEvent,
  AllocationUpdate,
  OnlineAllocator,
  OnlineAllocatorOptions,
} from './online-allocator-types.js';
import { describeCar, OnlineLoads, type OnlineCar } from './online-loads.js';
import { bookedOptions, minCostOf } from './online-options.js';
import { replanCars } from './online-reoptimise.js';
import { assignZones, buildPlan, optionOf } from './plan-builder.js';
import { solveAllocation } from './solve-allocation.js';
import { TimeAxis } from './time-axis.js';

export type {
  AllocationEvent,
  AllocationUpdate,
  OnlineAllocator,
  OnlineAllocatorOptions,
} from './online-allocator-types.js';

const EJECTION_TRIALS = 64;
const AXIS_GRID_MIN = 5;

/**
 * Plans the day with {@link allocate}'s optimiser, then keeps the plan right event by event. Each event
 * touches only the cars it concerns: freed bays go to planned cars that gain from them (cheapest first),
 * a car that must move takes its cheapest option with room, pushing one planned car to its own next best
 * option when the pair gains. No car is moved to a window that has begun; cars en route are never moved to
 * an option costing more than promised unless their lot closes; parked cars never move.
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
  private readonly loads: OnlineLoads;
  /**
   * The day's bay axis plus every 5th minute: cars booked or reported during the day hold their bay from the last
   * point at or before their window, so at most 5 minutes early when their minute is not on the day's own axis.
   */
  private readonly axis: TimeAxis;
  private readonly S: number;
  private readonly graceMin: number;
  private readonly cars: OnlineCar[] = [];
  private readonly byId = new Map<string, number>();
  private readonly byNominalSlot: number[][];
  /** How far before its nominal window a car's hold may begin, and after it end (minutes): bounds the scans. */
  private maxEarlierMin = 0;
  private maxLaterMin = 0;
  private maxSpanMin = 1;
  /** The plan's cost: every car not released, at its option's cost or the wait-list's (kept as cars move). */
  private totalS = 0;
  /** Appointments that needed no bay (by status); events about them change nothing. */
  private readonly skippedIds: Set<string>;

  constructor(
    private readonly day: AllocationDay,
    skipped: AllocationPlan['skipped'],
    options: OnlineAllocatorOptions,
  ) {
    this.skippedIds = new Set(skipped.map((s) => s.appointmentId));
    const { noShowGraceMin = 15, ...allocationOptions } = options;
    if (!(Number.isFinite(noShowGraceMin) && noShowGraceMin >= 0))
      throw errors.CB_ALLOCATION_INVALID(
        `allocation options: noShowGraceMin: expected minutes ≥ 0, got ${noShowGraceMin}`,
        {
          path: 'noShowGraceMin',
        },
      );
    const compiled = compileDay(day, allocationOptions);
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
    this.S = inst.slotCount;
    this.graceMin = noShowGraceMin;
    const grid: number[] = [];
    for (let m = 0; m <= this.S * inst.slotMin; m += AXIS_GRID_MIN) grid.push(m);
    this.axis = new TimeAxis([...compiled.axis.pointMin, ...grid]);
    this.loads = new OnlineLoads(compiled, day, this.axis);
    this.byNominalSlot = Array.from({ length: this.S }, () => []);
    const zones = assignZones(compiled, day, solved.state);
    day.appointments.forEach((appointment, i) => {
      const options: CarOption[] = [];
      for (let o = inst.optStart[i] as number; o < (inst.optStart[i + 1] as number); o++) {
        const option = optionOf(compiled, o);
        if (option.to > option.from) {
          option.from = this.axis.atOrBefore(option.windowFromMin);
          option.to = this.axis.firstAtOrAfter(option.holdUntilMin);
        }
        options.push(option);
      }
      const car = this.addCar(appointment, inst.carNominalMin[i] as number, options);
      const o = solved.state.choice[i] as number;
      if (o < 0) return;
      const lot = day.lots[inst.optLot[o] as number];
      const zone =
        lot === undefined
          ? 0
          : Math.max(
              0,
              lot.zones.findIndex((z) => z.id === zones[i]),
            );
      this.place(car, o - (inst.optStart[i] as number), zone);
    });
  }

  onEvent(event: AllocationEvent): AllocationUpdate {
    const { touched, released } = this.handle(event);
    const seen = new Set<OnlineCar>();
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
    return this.totalS;
  }

  private minuteOf(ms: number): number {
    return (ms - this.day.dayStartMs) / 60_000;
  }

  private slotOfMin(minute: number): number {
    return Math.min(this.S - 1, Math.max(0, Math.floor(minute / this.inst.slotMin)));
  }

  private costOf(car: OnlineCar): number {
    return car.choice < 0 ? this.inst.unplacedPenaltyS : (car.options[car.choice]?.costS ?? 0);
  }

  /** A car not yet on its way whose window has not begun. */
  private isMovable(car: OnlineCar, nowMin: number): boolean {
    if (car.status !== 'planned') return false;
    return (car.options[car.choice]?.windowFromMin ?? car.nominalMin) >= nowMin;
  }

  private place(car: OnlineCar, choice: number, zone?: number): void {
    car.choice = choice;
    const option = car.options[choice];
    if (option === undefined) return;
    if (car.status !== 'released') this.totalS += option.costS - this.inst.unplacedPenaltyS;
    car.zone = zone ?? this.loads.bestZone(option);
    car.heldFrom = option.from;
    car.heldTo = option.to;
    car.holdsGate = true;
    this.loads.hold(car, option.from, option.to, true, 1);
  }

  private unplace(car: OnlineCar): void {
    const option = car.options[car.choice];
    if (option !== undefined && car.status !== 'released') this.totalS += this.inst.unplacedPenaltyS - option.costS;
    if (car.choice >= 0) this.loads.hold(car, car.heldFrom, car.heldTo, car.holdsGate, -1);
    car.choice = -1;
    car.heldFrom = car.heldTo = 0;
    car.holdsGate = false;
  }

  /** Gives back bays from minute `fromMin` on (and the gate passage when the window had not begun). */
  private release(car: OnlineCar, fromMin: number): void {
    this.totalS -= this.costOf(car);
    const option = car.options[car.choice];
    if (option !== undefined) {
      const cut = Math.max(car.heldFrom, Math.min(car.heldTo, this.axis.firstAtOrAfter(fromMin)));
      this.loads.hold(car, cut, car.heldTo, false, -1);
      car.heldTo = cut;
      if (car.holdsGate && fromMin <= option.windowFromMin) {
        this.loads.gateLoad[option.gate] = (this.loads.gateLoad[option.gate] as number) - 1;
        car.holdsGate = false;
      }
    }
    car.status = 'released';
  }

  /** The car's cheapest option with room that costs less than `limitS` and whose window starts at `notBeforeMin` or later. */
  private cheapestFit(car: OnlineCar, limitS: number, notBeforeMin: number): number {
    let best = -1;
    let bestCost = limitS;
    car.options.forEach((option, o) => {
      if (option.costS < bestCost && option.windowFromMin >= notBeforeMin && this.loads.fits(option)) {
        best = o;
        bestCost = option.costS;
      }
    });
    return best;
  }

  /** The nominal slots of the cars whose hold may overlap minutes `[fromMin, toMin)`. */
  private nearSlots(fromMin: number, toMin: number, nowMin: number): [number, number] {
    // Movable cars' windows start at `nowMin` or later, so their nominal window at most `maxLaterMin` before it.
    const first = this.slotOfMin(Math.max(nowMin - this.maxLaterMin, fromMin - this.maxSpanMin));
    return [first, this.slotOfMin(toMin + this.maxEarlierMin)];
  }

  /** Cars whose hold may overlap minutes `[fromMin, toMin)`, by their nominal slot. */
  private *carsNear(fromMin: number, toMin: number, nowMin: number): Generator<OnlineCar> {
    const [first, last] = this.nearSlots(fromMin, toMin, nowMin);
    for (let s = first; s <= last; s++) for (const j of this.byNominalSlot[s] ?? []) yield this.cars[j] as OnlineCar;
  }

  /**
   * Puts `car` (on the wait-list now) on its cheapest option with room, or on a cheaper full one by pushing one
   * movable car to its next best option when the pair gains. Returns the cars that moved.
   */
  private insert(car: OnlineCar, nowMin: number, limitS: number, notBeforeMin: number): OnlineCar[] {
    const direct = this.cheapestFit(car, limitS, notBeforeMin);
    const directCost = direct < 0 ? this.inst.unplacedPenaltyS : (car.options[direct]?.costS ?? 0);
    const order = car.options
      .map((_, o) => o)
      .filter((o) => {
        const option = car.options[o] as CarOption;
        return option.costS < Math.min(directCost, limitS) && option.windowFromMin >= notBeforeMin;
      })
      .sort((x, y) => (car.options[x]?.costS ?? 0) - (car.options[y]?.costS ?? 0));
    let trials = 0;
    for (const o of order) {
      const option = car.options[o] as CarOption;
      const holdFromMin = this.axis.pointMin[option.from] ?? 0;
      for (const other of this.carsNear(holdFromMin, option.holdUntilMin, nowMin)) {
        const oj = other.options[other.choice];
        if (other === car || oj === undefined || !this.isMovable(other, nowMin)) continue;
        if (oj.chain !== option.chain && oj.gate !== option.gate) continue;
        if (oj.chain === option.chain && (oj.to <= option.from || oj.from >= option.to) && oj.gate !== option.gate)
          continue;
        // Bounded so one event stays within its latency budget on a crowded day.
        if (++trials > EJECTION_TRIALS) break;
        const before = this.costOf(other);
        const [oldChoice, oldZone] = [other.choice, other.zone];
        this.unplace(other);
        if (!this.loads.fits(option)) {
          this.place(other, oldChoice, oldZone);
          continue;
        }
        this.place(car, o);
        const next = this.cheapestFit(other, this.inst.unplacedPenaltyS, nowMin);
        const after = next < 0 ? this.inst.unplacedPenaltyS : (other.options[next]?.costS ?? 0);
        if (directCost - option.costS + before - after > 1e-9) {
          if (next >= 0) this.place(other, next);
          return [other];
        }
        this.unplace(car);
        this.place(other, oldChoice, oldZone);
      }
    }
    if (direct >= 0) this.place(car, direct);
    return [];
  }

  /**
   * Planned cars that could use what `freed` gave back (its bays over `[fromMin, toMin)`, its gate passage) move to
   * cheaper options that now have room. Only a car with a cheaper option on that bay chain over those points, or
   * through that gate, is tried: the others cannot gain from it.
   */
  private refill(fromMin: number, toMin: number, nowMin: number, freed: CarOption | undefined): OnlineCar[] {
    const moved: OnlineCar[] = [];
    if (freed === undefined) return moved;
    const fromPoint = this.axis.atOrBefore(fromMin);
    const toPoint = this.axis.firstAtOrAfter(toMin);
    const [first, last] = this.nearSlots(fromMin, toMin, nowMin);
    for (let s = first; s <= last; s++) {
      const list = this.byNominalSlot[s];
      if (list === undefined) continue;
      for (let k = 0; k < list.length; k++) {
        const car = this.cars[list[k] as number] as OnlineCar;
        const current = car.choice < 0 ? this.inst.unplacedPenaltyS : (car.options[car.choice] as CarOption).costS;
        if (current <= car.minCostS + 1e-9 || !this.isMovable(car, nowMin)) continue;
        this.refillOne(car, current, nowMin, freed, fromPoint, toPoint, moved);
      }
    }
    return moved;
  }

  /** Moves `car` to a cheaper option with room, when one of them uses what `freed` gave back. */
  private refillOne(
    car: OnlineCar,
    current: number,
    nowMin: number,
    freed: CarOption,
    fromPoint: number,
    toPoint: number,
    moved: OnlineCar[],
  ): void {
    let couldGain = false;
    for (const option of car.options) {
      if (option.costS >= current - 1e-9) continue;
      const usesBays = option.chain === freed.chain && option.from < toPoint && option.to > fromPoint;
      if (usesBays || option.gate === freed.gate) {
        couldGain = true;
        break;
      }
    }
    if (!couldGain) return;
    const better = this.cheapestFit(car, current - 1e-9, nowMin);
    if (better < 0) return;
    this.unplace(car);
    this.place(car, better);
    moved.push(car);
  }

  private addCar(appointment: Appointment, nominalMin: number, options: CarOption[]): OnlineCar {
    const car: OnlineCar = {
      appointment,
      nominalMin,
      nominalSlot: this.slotOfMin(nominalMin),
      options,
      minCostS: minCostOf(options, this.inst.unplacedPenaltyS),
      choice: -1,
      status: 'planned',
      promisedCostS: Number.POSITIVE_INFINITY,
      zone: 0,
      heldFrom: 0,
      heldTo: 0,
      holdsGate: false,
    };
    this.totalS += this.inst.unplacedPenaltyS;
    this.byId.set(appointment.id, this.cars.length);
    this.byNominalSlot[car.nominalSlot]?.push(this.cars.length);
    this.cars.push(car);
    this.noteReach(car);
    return car;
  }

  private noteReach(car: OnlineCar): void {
    for (const option of car.options) {
      this.maxEarlierMin = Math.max(this.maxEarlierMin, car.nominalMin - option.windowFromMin);
      this.maxLaterMin = Math.max(this.maxLaterMin, option.windowFromMin - car.nominalMin);
      this.maxSpanMin = Math.max(this.maxSpanMin, option.holdUntilMin - car.nominalMin);
    }
  }

  private describe(car: OnlineCar): Assignment {
    return describeCar(this.compiled, this.day, this.axis, car);
  }

  private carOf(appointmentId: string): OnlineCar {
    const index = this.byId.get(appointmentId);
    const car = index === undefined ? undefined : this.cars[index];
    if (car === undefined)
      throw errors.CB_ALLOCATION_INVALID(`event: appointmentId: unknown appointment "${appointmentId}"`, {
        path: 'event.appointmentId',
      });
    return car;
  }

  private checkInDay(minute: number, path: string, what: string): void {
    if (!Number.isFinite(minute) || minute + this.compiled.options.arrivalWindowMin / 2 >= this.S * this.inst.slotMin)
      throw errors.CB_ALLOCATION_INVALID(`event: ${path}: ${what} is not a time within the planned day`, {
        path: `event.${path}`,
      });
  }

  private handle(event: AllocationEvent): { touched: OnlineCar[]; released: OnlineCar[] } {
    const nowMin = this.minuteOf(event.atMs);
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
        const fromMin = event.type === 'no-show' ? nowMin + this.graceMin : nowMin;
        const freed = car.options[car.choice];
        const toMin = freed?.holdUntilMin ?? fromMin;
        this.release(car, fromMin);
        return { touched: this.refill(fromMin, toMin, nowMin, freed), released: [car] };
      }
      case 'arrival-changed':
        return this.arrivalChanged(event, nowMin);
      case 'appointment-changed':
        return this.appointmentChanged(event.appointment, nowMin);
      case 'new-appointment':
        return this.newAppointment(event.appointment, nowMin);
      case 'lot-closed': {
        const l = this.day.lots.findIndex((lot) => lot.id === event.lotId);
        if (l < 0)
          throw errors.CB_ALLOCATION_INVALID(`event: lotId: unknown lot "${event.lotId}"`, { path: 'event.lotId' });
        const untilMin = event.untilMs === undefined ? this.S * this.inst.slotMin : this.minuteOf(event.untilMs);
        const [first, last] = [this.slotOfMin(nowMin), Math.min(this.S, Math.ceil(untilMin / this.inst.slotMin))];
        for (let t = first; t < last; t++) this.loads.gateCap[l * this.S + t] = 0;
        const affected = this.cars.filter((car) => {
          const option = car.options[car.choice];
          return (
            option?.lot === l &&
            option.gate >= l * this.S + first &&
            option.gate < l * this.S + last &&
            (car.status === 'planned' || car.status === 'en-route')
          );
        });
        for (const car of affected) this.unplace(car);
        // Cars already on their way choose first: they lost the most.
        affected.sort(
          (x, y) => Number(y.status === 'en-route') - Number(x.status === 'en-route') || x.nominalMin - y.nominalMin,
        );
        const touched: OnlineCar[] = [...affected];
        for (const car of affected)
          touched.push(
            ...this.insert(car, nowMin, Number.POSITIVE_INFINITY, car.status === 'en-route' ? -Infinity : nowMin),
          );
        return { touched, released: [] };
      }
      case 'reoptimise':
        return { touched: this.reoptimise(nowMin), released: [] };
    }
  }

  private arrivalChanged(
    event: Extract<AllocationEvent, { type: 'arrival-changed' }>,
    nowMin: number,
  ): { touched: OnlineCar[]; released: OnlineCar[] } {
    const car = this.carOf(event.appointmentId);
    if (car.status === 'released' || car.status === 'parked') return { touched: [], released: [] };
    const arrivalMin = this.minuteOf(event.expectedArrivalMs);
    this.checkInDay(arrivalMin, 'expectedArrivalMs', String(event.expectedArrivalMs));
    // The car reports when it will be there: its window is centred on that, with no shift or alternative.
    const options = this.compiled.optionsFor(car.appointment, arrivalMin, this.axis);
    return this.reoffer(car, options, options[0]?.windowFromMin ?? arrivalMin, nowMin, true);
  }

  /**
   * The hospital moved the appointment (its start or end): the car is offered again every window its allowance
   * gives around the new time (arrival shifts, reschedules, alternatives), as a new booking would be.
   */
  private appointmentChanged(
    appointment: Appointment,
    nowMin: number,
  ): { touched: OnlineCar[]; released: OnlineCar[] } {
    if (this.skippedIds.has(appointment.id)) return { touched: [], released: [] };
    const car = this.carOf(appointment.id);
    this.compiled.validateAppointment(appointment, 'event.appointment');
    const options = bookedOptions(this.compiled, this.axis, this.S, appointment);
    if (car.status === 'released' || car.status === 'parked') {
      car.appointment = appointment;
      return { touched: [], released: [] };
    }
    car.appointment = appointment;
    const nominal = options.find((o) => o.shiftMin === 0 && o.rescheduleMin === 0)?.windowFromMin ?? nowMin;
    return this.reoffer(car, options, nominal, nowMin, false);
  }

  /**
   * Gives a car new options: it leaves its bay, takes the cheapest of them with room (keeping its lot and kind
   * when that still fits and `isSameChainKept`; a car on its way never for more than it was promised, unless
   * nothing else has room), and what it left goes to cars that gain from it.
   */
  private reoffer(
    car: OnlineCar,
    options: CarOption[],
    nominalMin: number,
    nowMin: number,
    isSameChainKept: boolean,
  ): { touched: OnlineCar[]; released: OnlineCar[] } {
    const previous = car.options[car.choice];
    const oldRange: [number, number] = [this.axis.pointMin[car.heldFrom] ?? 0, previous?.holdUntilMin ?? 0];
    this.unplace(car);
    const list = this.byNominalSlot[car.nominalSlot];
    list?.splice(list.indexOf(this.byId.get(car.appointment.id) ?? -1), 1);
    car.options = options;
    car.minCostS = minCostOf(car.options, this.inst.unplacedPenaltyS);
    car.nominalMin = nominalMin;
    car.nominalSlot = this.slotOfMin(car.nominalMin);
    this.byNominalSlot[car.nominalSlot]?.push(this.byId.get(car.appointment.id) ?? -1);
    this.noteReach(car);
    const same =
      previous === undefined || !isSameChainKept ? -1 : car.options.findIndex((o) => o.chain === previous.chain);
    const touched: OnlineCar[] = [car];
    const sameOption = car.options[same];
    if (sameOption !== undefined && this.loads.fits(sameOption)) this.place(car, same);
    else {
      const limit = car.status === 'en-route' ? car.promisedCostS + 1e-9 : Number.POSITIVE_INFINITY;
      touched.push(...this.insert(car, nowMin, limit, Number.NEGATIVE_INFINITY));
    }
    if (car.choice < 0 && car.status === 'en-route')
      touched.push(...this.insert(car, nowMin, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY));
    touched.push(...this.refill(oldRange[0], oldRange[1], nowMin, previous));
    return { touched, released: [] };
  }

  private newAppointment(appointment: Appointment, nowMin: number): { touched: OnlineCar[]; released: OnlineCar[] } {
    if (this.byId.has(appointment.id) || this.skippedIds.has(appointment.id))
      throw errors.CB_ALLOCATION_INVALID(`event: appointment.id: appointment "${appointment.id}" already exists`, {
        path: 'event.appointment.id',
      });
    this.compiled.validateAppointment(appointment, 'event.appointment');
    if (INACTIVE_STATUSES.includes(appointment.status)) {
      this.skippedIds.add(appointment.id);
      return { touched: [], released: [] };
    }
    const options = bookedOptions(this.compiled, this.axis, this.S, appointment);
    const nominal = options.find((o) => o.shiftMin === 0 && o.rescheduleMin === 0)?.windowFromMin ?? nowMin;
    const car = this.addCar(appointment, nominal, options);
    return { touched: [car, ...this.insert(car, nowMin, Number.POSITIVE_INFINITY, nowMin)], released: [] };
  }

  /** The movable cars re-planned with the full optimiser; adopted only when cheaper. */
  private reoptimise(nowMin: number): OnlineCar[] {
    const movable = this.cars.filter((car) => this.isMovable(car, nowMin));
    if (movable.length === 0) return [];
    const { priceIterations, stopGapPct } = this.compiled.options;
    const next = replanCars(this.inst, this.axis, this.loads, movable, nowMin, { priceIterations, stopGapPct });
    if (next === undefined) return [];
    const previous = movable.map((car) => ({ choice: car.choice, zone: car.zone }));
    for (const car of movable) this.unplace(car);
    const moved: OnlineCar[] = [];
    movable.forEach((car, i) => {
      const choice = next[i] ?? -1;
      const kept = previous[i]?.choice === choice;
      if (choice >= 0) this.place(car, choice, kept ? previous[i]?.zone : undefined);
      if (!kept) moved.push(car);
    });
    return moved;
  }
}
