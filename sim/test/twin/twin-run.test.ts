import { describe, expect, it } from 'vitest';
import { parseAppointments } from '../../src/appointments/parse-appointments.js';
import type { Appointment } from '../../src/model/index.js';
import { loadTwinRun } from '../../src/cli/load-twin-run.js';
import { runTrafficSimulation } from '../../src/traffic/traffic-simulation.js';
import { toFhirAppointmentBundle } from '../../src/twin/twin-appointments.js';

const SCENARIO = new URL('../../scenarios/hospital-district/scenario.yaml', import.meta.url).pathname;

describe('prepareTwinRun', () => {
  it('is the scenario run, steppable, with the map and the appointment drivers a twin needs', () => {
    const twin = loadTwinRun(SCENARIO, { policyName: 'combined' });
    // Stepped with its own sign policy it is the batch run.
    twin.simulation.stepWithOwnSigns(twin.endS);
    const batch = runTrafficSimulation(loadTwinRun(SCENARIO, { policyName: 'combined' }).input);
    expect(Array.from(twin.simulation.output().doneS)).toEqual(Array.from(batch.doneS));
    expect(twin.appointmentTrips.length).toBeGreaterThan(1000);
    expect(twin.appointmentTrips.some((trip) => trip.isPreAssigned === true)).toBe(true);
    const linkIds = new Set(twin.map.links.map((l) => l.id));
    const nodeIds = new Set(twin.map.nodes.map((n) => n.id));
    expect(twin.map.links.every((l) => nodeIds.has(l.fromNodeId) && nodeIds.has(l.toNodeId))).toBe(true);
    expect(twin.map.lots.map((l) => l.lotId)).toEqual(['H', 'P2', 'SC', 'ML']);
    expect(twin.map.signs.map((s) => s.signId)).toEqual(['G-west', 'G-east', 'G-south']);
    expect(
      [...twin.map.lots.map((l) => l.entryEdgeId), ...twin.map.signs.map((s) => s.edgeId)].every((id) =>
        linkIds.has(id),
      ),
    ).toBe(true);
  }, 30_000);

  it('takes the field’s signs (or a function of the scenario’s) and a sign compliance', () => {
    const signs = [{ id: 'G-west', edgeId: 'e_W3W4', lines: [{ lotId: 'H' }, { lotId: 'P2' }] }];
    const none = loadTwinRun(SCENARIO, { policyName: 'combined', signs, signCompliance: 0 });
    const all = loadTwinRun(SCENARIO, {
      policyName: 'combined',
      signs: (scenarioSigns) => scenarioSigns.filter((s) => s.id === 'G-east'),
      signCompliance: 1,
    });
    expect(none.input.signs).toEqual(signs);
    expect(all.input.signs).toEqual([{ id: 'G-east', edgeId: 'w_E3E2' }]);
    const follows = (run: typeof none) => run.appointmentTrips.filter((t) => t.followsSigns === true).length;
    expect(follows(none)).toBe(0);
    expect(follows(all)).toBe(all.appointmentTrips.length);
  });
});

describe('prepareTwinRun with a given plan', () => {
  it('plays the plan given for its car appointments instead of its own (the others drive as without one)', () => {
    const own = loadTwinRun(SCENARIO, { policyName: 'combined' });
    const cars = own.carAppointments;
    expect(cars.length).toBeGreaterThan(1000);
    expect(cars.every((a) => a.originZoneId !== undefined)).toBe(true);
    const [toP2, toDropOff, waitListed] = [cars[0]!, cars[1]!, cars[2]!];
    const windowOf = (a: Appointment) => ({ fromMs: a.startMs - 1_800_000, toMs: a.startMs - 900_000 });
    const given = loadTwinRun(SCENARIO, {
      policyName: 'combined',
      preAssignment: {
        assignments: [
          { appointmentId: toP2.id, outcome: 'bay', lotId: 'P2', arrivalWindow: windowOf(toP2), arrivalShiftMin: 0 },
          { appointmentId: toDropOff.id, outcome: 'drop-off', arrivalWindow: windowOf(toDropOff), arrivalShiftMin: 0 },
          {
            appointmentId: waitListed.id,
            outcome: 'wait-list',
            arrivalWindow: windowOf(waitListed),
            arrivalShiftMin: 0,
          },
        ],
      },
    });
    const trip = (id: string) => given.input.trips.find((t) => t.id === id);
    expect(trip(toP2.id)).toMatchObject({ lotId: 'P2', isPreAssigned: true });
    expect(trip(toDropOff.id)).toBeUndefined();
    expect(trip(`${toDropOff.id}.dropoff`)?.purpose).toBe('dropoff');
    expect(trip(waitListed.id)?.isPreAssigned).not.toBe(true);
    // Cars the plan leaves out are no one's pre-assignment; the car appointments are the same either way.
    expect(given.appointmentTrips.filter((t) => t.isPreAssigned === true).map((t) => t.id)).toEqual([toP2.id]);
    expect(given.carAppointments.map((a) => a.id)).toEqual(cars.map((a) => a.id));
  }, 30_000);
});

describe('toFhirAppointmentBundle', () => {
  it('round-trips through the FHIR parser, shifted in time', () => {
    const appointments: Appointment[] = [
      {
        id: 'a1',
        startMs: 1_000_000,
        endMs: 2_800_000,
        status: 'booked',
        entranceId: 'outpatient',
        needs: { requiredKind: 'accessible', preferredKinds: [] },
      },
      {
        id: 'a2',
        startMs: 5_000_000,
        endMs: 6_000_000,
        status: 'booked',
        entranceId: 'main',
        needs: { preferredKinds: ['family', 'ev'] },
        serviceType: 'x-ray',
      },
    ];
    const bundle = toFhirAppointmentBundle(appointments, 60_000);
    const parsed = parseAppointments(JSON.stringify(bundle), 'bundle.json', 'fhir');
    expect(parsed.map((a) => [a.id, a.startMs, a.endMs, a.entranceId])).toEqual([
      ['a1', 1_060_000, 2_860_000, 'outpatient'],
      ['a2', 5_060_000, 6_060_000, 'main'],
    ]);
    expect(parsed[0]!.needs.requiredKind).toBe('accessible');
    expect(parsed[1]!.needs.preferredKinds).toEqual(['family', 'ev']);
    expect(parsed[1]!.serviceType).toBe('x-ray');
  });
});
