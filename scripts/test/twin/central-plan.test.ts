import type { Appointment } from '@citybay/sim';
import { describe, expect, it } from 'vitest';
import { centralPlanOf } from '../../src/twin/central-plan.js';

const SHIFT_MS = 7 * 86_400_000;
const appointment = (id: string, startMs: number): Appointment => ({
  id,
  startMs,
  endMs: startMs + 1_800_000,
  status: 'booked',
  entranceId: 'main',
  needs: { preferredKinds: [] },
});

describe('centralPlanOf', () => {
  it("puts central's answers back on the scenario's day, as the simulator plays them", () => {
    const posted = [appointment('a', 28_800_000), appointment('b', 30_000_000), appointment('c', 31_000_000)];
    const { plan, byOutcome, unanswered, answers } = centralPlanOf(
      [
        {
          appointmentId: 'a',
          outcome: 'bay',
          lotId: 'H',
          zoneId: 'B1',
          kind: 'family',
          arrivalWindow: { fromMs: SHIFT_MS + 27_000_000, toMs: SHIFT_MS + 27_900_000 },
          holdUntilMs: SHIFT_MS + 28_000_000,
          arrivalShiftMin: -15,
          suggestedStart: new Date(SHIFT_MS + 28_800_000 + 600_000).toISOString(),
        },
        {
          appointmentId: 'b',
          outcome: 'wait-list',
          arrivalWindow: { fromMs: SHIFT_MS + 28_500_000, toMs: SHIFT_MS + 29_400_000 },
        },
        // Another day's appointment in the answer is not this plan's.
        { appointmentId: 'x', outcome: 'bay', lotId: 'P2' },
      ],
      posted,
      SHIFT_MS,
    );
    expect(plan.assignments).toEqual([
      {
        appointmentId: 'a',
        outcome: 'bay',
        lotId: 'H',
        kind: 'family',
        holdUntilMs: 28_000_000,
        arrivalWindow: { fromMs: 27_000_000, toMs: 27_900_000 },
        arrivalShiftMin: -15,
        reschedule: { byMin: 10 },
      },
      {
        appointmentId: 'b',
        outcome: 'wait-list',
        arrivalWindow: { fromMs: 28_500_000, toMs: 29_400_000 },
        arrivalShiftMin: 0,
      },
    ]);
    expect(byOutcome).toEqual({ bay: 1, 'wait-list': 1 });
    // A posted appointment central did not answer is counted, never taken for a bay.
    expect(unanswered).toBe(1);
    expect([...answers.keys()]).toEqual(['a', 'b']);
  });
});
