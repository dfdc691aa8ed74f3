import { expect } from 'vitest';
import type { AllocationDay, AllocationOptions, Assignment } from '../../src/allocation/allocation-types.js';
import type { ParkingLot } from '../../src/model/index.js';

/** Minutes of `[from, to)` a lot admits cars. */
function openMinutes(lot: ParkingLot, from: number, to: number): number {
  if (lot.openingHours.length === 0) return to - from;
  return lot.openingHours.reduce((s, w) => s + Math.max(0, Math.min(to, w.toMin) - Math.max(from, w.fromMin)), 0);
}

/** Free bays of a lot and kind at a minute, worked out from the day alone (not from the compiled instance). */
export function baysAt(day: AllocationDay, lot: ParkingLot, kind: string, minute: number): number {
  let bays = lot.zones.reduce((s, z) => s + ((z.capacityByKind as Record<string, number>)[kind] ?? 0), 0);
  for (const w of lot.capacityWindows)
    if (w.kind === kind && w.fromMin <= minute && w.toMin > minute) bays = Math.min(bays, w.capacityBays);
  bays -= (lot.reserveByKind as Record<string, number>)[kind] ?? 0;
  for (const o of day.occupancy ?? [])
    if (o.lotId === lot.id && o.kind === kind && (o.fromMin ?? 0) <= minute && (o.untilMin ?? Infinity) > minute)
      bays -= o.bays;
  return Math.max(0, bays);
}

/**
 * Recounts a plan from its assignments alone, to the minute: at every minute a hold begins (or capacity drops) the
 * holds covering it fit the lot's free bays of that kind; per gate slot (the slot of the window's centre) the
 * arrivals fit the gate's plannable passages less the day's promised ones; drop-offs fit the kerb.
 */
export function checkPlanFeasible(
  day: AllocationDay,
  options: AllocationOptions,
  assignments: readonly Assignment[],
): void {
  const slotMin = options.slotMin ?? 15;
  const windowMin = options.arrivalWindowMin ?? slotMin;
  const util = options.gateUtilisation ?? 0.85;
  const minuteOf = (ms: number): number => (ms - day.dayStartMs) / 60_000;
  const holds = new Map<string, Array<[number, number]>>();
  const gates = new Map<string, number>();
  for (const a of assignments) {
    expect(['bay', 'park-and-ride', 'drop-off', 'wait-list', 'released']).toContain(a.outcome);
    expect(a.placed).toBe(a.outcome === 'bay' || a.outcome === 'park-and-ride');
    if (a.outcome === 'wait-list' || a.outcome === 'released') continue;
    const from = minuteOf(a.arrivalWindow.fromMs);
    expect(minuteOf(a.arrivalWindow.toMs) - from).toBeCloseTo(windowMin, 6);
    const slot = Math.floor((from + windowMin / 2) / slotMin);
    const gateKey = `${a.lotId ?? '(kerb)'}/${slot}`;
    gates.set(gateKey, (gates.get(gateKey) ?? 0) + 1);
    if (!a.placed) continue;
    const key = `${a.lotId}/${a.kind}`;
    holds.set(key, [...(holds.get(key) ?? []), [from, minuteOf(a.holdUntilMs)]]);
  }
  for (const [key, list] of holds) {
    const [lotId, kind = ''] = key.split('/');
    const lot = day.lots.find((l) => l.id === lotId) as ParkingLot;
    const checkAt = new Set(list.map(([from]) => from));
    for (const w of lot.capacityWindows) checkAt.add(w.fromMin);
    for (const o of day.occupancy ?? []) checkAt.add(o.fromMin ?? 0);
    for (const minute of checkAt) {
      const covering = list.filter(([from, to]) => from <= minute && to > minute).length;
      expect(covering, `${key} at minute ${minute}`).toBeLessThanOrEqual(baysAt(day, lot, kind, minute));
    }
  }
  for (const [key, count] of gates) {
    const [lotId, slotText] = key.split('/');
    const slot = Number(slotText);
    if (lotId === '(kerb)') {
      const perMin = options.dropOff?.vehPerMin;
      if (perMin !== undefined) expect(count, key).toBeLessThanOrEqual(Math.floor(perMin * slotMin * util + 1e-9));
      continue;
    }
    const lot = day.lots.find((l) => l.id === lotId) as ParkingLot;
    const passages = (day.gatePassages ?? [])
      .filter((p) => p.lotId === lotId && Math.floor(p.atMin / slotMin) === slot)
      .reduce((s, p) => s + p.cars, 0);
    const cap = Math.floor(
      lot.gateServiceVehPerMin * openMinutes(lot, slot * slotMin, (slot + 1) * slotMin) * util + 1e-9,
    );
    expect(count, key).toBeLessThanOrEqual(Math.max(0, cap - passages));
  }
}
