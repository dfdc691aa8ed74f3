import { SeededRandom } from '@citybay/common';
import type { Appointment } from '../model/index.js';
import { drawTruncatedNormal, drawWeighted, type TruncatedNormal } from './distributions.js';

/** A synthetic outpatient day, for districts without a real appointment export. */
export interface AppointmentGenerator {
  visitsPerDay: number;
  /** Relative weight of each hour of the day for appointment starts (24 numbers, index = hour). */
  hourlyWeights: readonly number[];
  /** Appointment length (min). */
  durationMin: TruncatedNormal;
  /** Entrance id → relative weight. */
  entranceWeights: Readonly<Record<string, number>>;
  /** Shares of patients needing an accessible bay (required) or preferring a family / EV bay. */
  accessibleShare: number;
  familyShare: number;
  evShare: number;
  /** Appointment starts are rounded to this slot (min). Default 5. */
  slotMin?: number;
}

/** Generates `visitsPerDay` booked appointments, deterministic for a seed, sorted by start. */
export function generateAppointments(spec: AppointmentGenerator, dayStartMs: number, seed: number): Appointment[] {
  const random = new SeededRandom(seed);
  const slotMin = spec.slotMin ?? 5;
  const entrances = Object.keys(spec.entranceWeights);
  // Typed arrays: weights read from a file mix whole and fractional numbers, and a plain array's elements kind
  // (integers or doubles) then changed from call to call, which deoptimised drawWeighted.
  const hourlyWeights = Float64Array.from(spec.hourlyWeights);
  const entranceWeights = Float64Array.from(entrances, (id) => spec.entranceWeights[id] ?? 0);
  const appointments: Appointment[] = [];
  for (let i = 0; i < spec.visitsPerDay; i++) {
    const hour = drawWeighted(random, hourlyWeights);
    const minute = Math.floor((random.next() * 60) / slotMin) * slotMin;
    const startMs = dayStartMs + (hour * 60 + minute) * 60_000;
    const durationMin = Math.max(1, Math.round(drawTruncatedNormal(random, spec.durationMin)));
    const needDraw = random.next();
    const entranceId = entrances[drawWeighted(random, entranceWeights)] ?? 'main';
    // Every `needs` gets both fields (requiredKind undefined when none) so all appointments share one shape.
    const needs: Appointment['needs'] =
      needDraw < spec.accessibleShare
        ? { requiredKind: 'accessible', preferredKinds: [] }
        : needDraw < spec.accessibleShare + spec.familyShare
          ? { requiredKind: undefined, preferredKinds: ['family'] }
          : needDraw < spec.accessibleShare + spec.familyShare + spec.evShare
            ? { requiredKind: undefined, preferredKinds: ['ev'] }
            : { requiredKind: undefined, preferredKinds: [] };
    appointments.push({
      id: `A${String(i + 1).padStart(5, '0')}`,
      startMs,
      endMs: startMs + durationMin * 60_000,
      status: 'booked',
      entranceId,
      needs,
    });
  }
  // Comparing rather than subtracting: epoch milliseconds are beyond small integers, so a difference was boxed.
  return appointments.sort((a, b) =>
    a.startMs !== b.startMs ? (a.startMs < b.startMs ? -1 : 1) : a.id < b.id ? -1 : 1,
  );
}
