import { errors } from '../errors.js';
import type { Appointment } from '../model/index.js';
import type { CompiledDay } from './allocation-instance.js';
import type { CarOption } from './car-options.js';
import type { TimeAxis } from './time-axis.js';

/**
 * Every option of an appointment booked (or moved) during the day, its holds on the online allocator's `axis`;
 * throws `CB_ALLOCATION_INVALID` when one would fall after the planned day (`slotCount` gate slots).
 */
export function bookedOptions(
  compiled: CompiledDay,
  axis: TimeAxis,
  slotCount: number,
  appointment: Appointment,
): CarOption[] {
  const options = compiled.optionsFor(appointment, undefined, axis);
  const { arrivalWindowMin, slotMin } = compiled.options;
  if (
    !Number.isFinite(appointment.endMs) ||
    options.some((o) => o.windowFromMin + arrivalWindowMin / 2 >= slotCount * slotMin)
  )
    throw errors.CB_ALLOCATION_INVALID(
      `event: appointment.endMs: appointment "${appointment.id}" ends after the planned day`,
      { path: 'event.appointment.endMs' },
    );
  return options;
}

/** The cheapest a car can be served for: its cheapest option, or the wait-list. */
export function minCostOf(options: readonly CarOption[], waitListS: number): number {
  let min = waitListS;
  for (const option of options) min = Math.min(min, option.costS);
  return min;
}
