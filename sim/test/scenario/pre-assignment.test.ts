import { isCitybayError } from '@citybay/common';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AllocationPlan, Assignment } from '../../src/allocation/allocation-types.js';
import { loadScenario } from '../../src/cli/scenario-loader.js';
import { LATE_ARRIVAL_GRACE_MIN, withheldUntilMs } from '../../src/allocation/withheld-bays.js';
import type { Appointment } from '../../src/model/index.js';
import { type PlayContext, playPlan, standardNormalCdf } from '../../src/scenario/pre-assignment.js';
import { type ResolvedScenario, prepareScenarioRun, runScenario } from '../../src/scenario/run-scenario.js';
import { parseScenarioFile } from '../../src/scenario/scenario-file.js';
import { tripOf } from '../../src/traffic/trip.js';

const SCENARIO = new URL('../fixtures/small-district/scenario.yaml', import.meta.url).pathname;
const dayStartMs = Date.UTC(2026, 2, 2);
const at = (hh: number, mm = 0): number => dayStartMs + (hh * 60 + mm) * 60_000;

describe('playPlan', () => {
  const appointment: Appointment = {
    id: 'a1',
    startMs: at(9),
    endMs: at(10),
    status: 'booked',
    entranceId: 'main',
    needs: { preferredKinds: [] },
  };
  // The policy-free trip: 30 min early at the hospital lot after a 300 s drive, staying 2 h.
  const trip = tripOf({
    id: 'a1',
    purpose: 'park',
    departS: (8 * 60 + 30) * 60 - 300,
    originEdgeId: 'o',
    lotId: 'H',
    bayKind: 'standard',
    stayS: 7200,
    entranceId: 'main',
  });
  const ctx: PlayContext = {
    dayStartMs,
    arrivalBeforeMin: { mean: 30, sd: 10 },
    driveTimeS: (_origin, lotId) => (lotId === 'H' ? 300 : 600),
    dropOffFor: () => ({ edgeId: 'kerb', driveS: 240 }),
    waitListed: 'drive',
    planCompliance: 1,
    seed: 1,
  };
  const assignment = (fields: Partial<Assignment>): Assignment => ({
    appointmentId: 'a1',
    outcome: 'bay',
    placed: true,
    lotId: 'P',
    kind: 'standard',
    arrivalWindow: { fromMs: at(8, 0), toMs: at(8, 15) },
    holdUntilMs: at(10, 15),
    arrivalShiftMin: -30,
    cost: {
      driveS: 600,
      walkS: 0,
      walkWeight: 1,
      weightedWalkS: 0,
      fallbackPenaltyS: 0,
      shiftPenaltyS: 1800,
      alternativePenaltyS: 0,
      unplacedPenaltyS: 0,
      totalS: 2400,
    },
    ...fields,
  });
  const play = (a: Assignment, context = ctx) =>
    playPlan([trip], { assignments: [a] } as AllocationPlan, new Map([['a1', appointment]]), context);

  it('sends a car with a bay to its lot inside its window, where its habit puts it, leaving when it would anyway', () => {
    const { trips, stats } = play(assignment({}));
    const [played] = trips;
    // A habit exactly at the mean places the car in the middle of its window.
    expect(played).toMatchObject({ lotId: 'P', isPreAssigned: true, purpose: 'park' });
    expect((played?.departS ?? 0) + 600).toBeCloseTo((8 * 60 + 7.5) * 60, 6);
    expect((played?.departS ?? 0) + 600 + (played?.stayS ?? 0)).toBeCloseTo((8 * 60 + 30) * 60 + 7200, 6);
    expect(stats).toMatchObject({ cars: 1, bay: 1, shifted: 1, meanAbsShiftMin: 30 });
    expect(standardNormalCdf(0)).toBeCloseTo(0.5, 7);
    expect(standardNormalCdf(1.96)).toBeCloseTo(0.975, 3);
  });

  it('plays park-and-ride, drop-off and the wait-list as they are', () => {
    expect(play(assignment({ outcome: 'park-and-ride', lotId: 'PR' })).trips[0]).toMatchObject({
      lotId: 'PR',
      isPreAssigned: true,
    });
    const dropOff = play(assignment({ outcome: 'drop-off', placed: false, lotId: undefined }));
    expect(dropOff.trips[0]).toMatchObject({ id: 'a1.dropoff', purpose: 'dropoff', destinationEdgeId: 'kerb' });
    expect((dropOff.trips[0]?.departS ?? 0) + 240).toBeCloseTo((8 * 60 + 7.5) * 60, 6);
    const waiting = assignment({ outcome: 'wait-list', placed: false, lotId: undefined, arrivalShiftMin: 0 });
    expect(play(waiting).trips).toEqual([trip]);
    expect(play(waiting).stats).toMatchObject({ waitListed: 1, waitListedDriving: 1 });
    const away = play(waiting, { ...ctx, waitListed: 'stay-away' });
    expect(away.trips).toEqual([]);
    expect(away.stats).toMatchObject({ waitListed: 1, waitListedStayingAway: 1 });
  });

  it('withholds each placed bay of the plan from its window to the window end plus the grace, as central does', () => {
    // Held to 10:15 (end of stay and exit buffer), withheld only to 08:15 + 15 min: by then the car has parked.
    expect(play(assignment({})).withheld).toEqual([
      { lotId: 'P', kind: 'standard', fromS: 8 * 3600, untilS: 8.5 * 3600 },
    ]);
    expect(withheldUntilMs(assignment({}))).toBe(at(8, 15) + LATE_ARRIVAL_GRACE_MIN * 60_000);
    // Never past the hold, never shorter than a minute; a driver ignoring the plan still has a bay withheld.
    expect(withheldUntilMs(assignment({ holdUntilMs: at(8, 20) }))).toBe(at(8, 20));
    expect(withheldUntilMs({ arrivalWindow: { fromMs: at(8), toMs: at(8) - 3_600_000 } })).toBe(at(8) + 60_000);
    expect(play(assignment({}), { ...ctx, planCompliance: 0 }).withheld).toHaveLength(1);
    expect(play(assignment({ outcome: 'park-and-ride', lotId: 'PR' })).withheld).toMatchObject([{ lotId: 'PR' }]);
    expect(play(assignment({ outcome: 'drop-off', placed: false, lotId: undefined })).withheld).toEqual([]);
  });
});

describe('a pre-assigned policy on a capacity-short district', () => {
  let scenario: ResolvedScenario;
  beforeAll(() => {
    scenario = loadScenario(SCENARIO);
    // Fewer hospital bays than cars at the peak; the overflow lot turns park-and-ride with a shuttle.
    scenario.lots = scenario.lots.map((lot) =>
      lot.id === 'H' ? { ...lot, zones: [{ id: 'main', capacityByKind: { standard: 90, accessible: 10 } }] } : lot,
    );
    scenario.lots = scenario.lots.map((lot) =>
      lot.id === 'P' ? { ...lot, zones: [{ id: 'main', capacityByKind: { standard: 80 } }] } : lot,
    );
    scenario.document.lotRoles = { H: 'hospital', P: 'park-and-ride' };
    scenario.document.allocation = {
      arrivalShift: { earlierMin: 30 },
      shiftPenaltySPerMin: 20,
      parkAndRide: [{ lotId: 'P', shuttleRideS: 300, shuttleHeadwayS: 600, penaltyS: 600 }],
      dropOff: { penaltyS: 2400, vehPerMin: 0.5 },
    };
    scenario.document.policies.push(
      { name: 'plan-drive', preAssign: true },
      { name: 'plan-away', preAssign: true, waitListed: 'stay-away' },
      { name: 'plan-ignored', preAssign: true, planCompliance: 0.9 },
      { name: 'plan-ignored-signs', preAssign: true, planCompliance: 0.9, guidance: 'signs' },
    );
  });

  it('gives every car an outcome and plays each: no car silently falls back to the hospital lot', () => {
    const prepared = prepareScenarioRun(scenario, { policyName: 'plan-drive' });
    const stats = prepared.preAssignment;
    expect(stats).toBeDefined();
    if (stats === undefined) return;
    expect(stats.bay + stats.parkAndRide + stats.dropOff + stats.waitListed).toBe(stats.cars);
    expect(stats.cars).toBe(prepared.demand.parkTrips);
    expect(stats.parkAndRide).toBeGreaterThan(0);
    expect(stats.dropOff).toBeGreaterThan(0);
    const park = prepared.input.trips.filter((t) => t.purpose === 'park');
    expect(park.filter((t) => t.isPreAssigned === true)).toHaveLength(stats.bay + stats.parkAndRide);
    // The cars not pre-assigned are exactly the wait-listed ones, driving to look as without a plan.
    expect(park.filter((t) => t.isPreAssigned !== true)).toHaveLength(stats.waitListedDriving);
    const dropOffs = prepared.input.trips.filter((t) => t.purpose === 'dropoff');
    expect(dropOffs.length).toBe(prepared.demand.dropOffs + stats.dropOff);
    expect(park.filter((t) => t.lotId === 'P')).toHaveLength(stats.parkAndRide);

    const away = prepareScenarioRun(scenario, { policyName: 'plan-away' });
    expect(away.preAssignment?.waitListedStayingAway).toBe(away.preAssignment?.waitListed);
    expect(away.input.trips.filter((t) => t.purpose === 'park' && t.isPreAssigned !== true)).toHaveLength(0);
    const result = runScenario(scenario, { policyName: 'plan-away' });
    expect(result.preAssignment).toEqual(away.preAssignment);

    // A tenth who ignore their plan drive as without one; the same drivers in every policy of the seed.
    const ignoring = prepareScenarioRun(scenario, { policyName: 'plan-ignored' });
    const ignored = ignoring.preAssignment?.ignoredPlan ?? 0;
    expect(ignored / (ignoring.preAssignment?.cars ?? 1)).toBeGreaterThan(0.05);
    expect(ignored / (ignoring.preAssignment?.cars ?? 1)).toBeLessThan(0.15);
    const again = prepareScenarioRun(scenario, { policyName: 'plan-ignored-signs' });
    const notFollowing = (run: typeof again) =>
      run.input.trips.filter((t) => t.purpose === 'park' && t.isPreAssigned !== true).map((t) => t.id);
    expect(notFollowing(again)).toEqual(notFollowing(ignoring));
  });
});

describe('a scenario’s allocation settings', () => {
  const text = readFileSync(SCENARIO, 'utf8');
  const failure = (edit: (t: string) => string): { code?: string; path?: string } => {
    try {
      parseScenarioFile(edit(text), 'scenario.yaml');
    } catch (err) {
      if (isCitybayError(err)) return { code: err.code, path: err.path };
      throw err;
    }
    return {};
  };

  it('are checked by the allocation options’ schema, naming the field in the scenario', () => {
    expect(failure((t) => `${t}allocation: { slotMin: 7 }\n`)).toEqual({
      code: 'CB_SCENARIO_INVALID',
      path: 'allocation.slotMin',
    });
    expect(
      failure((t) =>
        t.replace(
          '{ name: pre-assigned, preAssign: true }',
          '{ name: pre-assigned, preAssign: true, allocation: { shiftPenalty: 3 } }',
        ),
      ),
    ).toEqual({ code: 'CB_SCENARIO_INVALID', path: 'policies[2].allocation.shiftPenalty' });
    expect(failure((t) => `${t}allocation: { arrivalShift: { earlierMin: 30 }, shiftPenaltySPerMin: 20 }\n`)).toEqual(
      {},
    );
  });

  it('need drop-off edges for drop-off advice, and a park-and-ride lot both ways', () => {
    const noEdges = (t: string) =>
      t.replace('  dropOffShare: 0.1\n  dropOffEdgeIds: [h_e, h_m]\n', '  dropOffShare: 0\n');
    expect(failure((t) => `${noEdges(t)}allocation: { dropOff: { penaltyS: 2000 } }\n`)).toEqual({
      code: 'CB_SCENARIO_INVALID',
      path: 'allocation.dropOff',
    });
    expect(failure((t) => `${t}allocation: { parkAndRide: [{ lotId: P }] }\n`)).toEqual({
      code: 'CB_SCENARIO_INVALID',
      path: 'allocation.parkAndRide[0].lotId',
    });
    expect(failure((t) => t.replace('P: overflow', 'P: park-and-ride'))).toEqual({
      code: 'CB_SCENARIO_INVALID',
      path: 'lotRoles.P',
    });
  });
});

describe('the shipped capacity-short district', () => {
  it('loads, and its plan gives each of its 1,600 cars an outcome, shifting some', () => {
    const shipped = loadScenario(
      new URL('../../scenarios/hospital-district-capacity-short/scenario.yaml', import.meta.url).pathname,
    );
    const bays = shipped.lots
      .filter((lot) => lot.id === 'H' || lot.id === 'P2')
      .reduce(
        (sum, lot) =>
          sum + lot.zones.reduce((s, z) => s + Object.values(z.capacityByKind).reduce((a, b) => a + (b ?? 0), 0), 0),
        0,
      );
    expect(bays).toBe(946);
    const prepared = prepareScenarioRun(shipped, { policyName: 'pre-assigned-shifts' });
    const stats = prepared.preAssignment!;
    expect(stats.cars).toBe(1600);
    expect(stats.bay + stats.parkAndRide + stats.dropOff + stats.waitListed + stats.ignoredPlan).toBe(1600);
    expect(stats.shifted).toBeGreaterThan(0);
  });
});
