import { describe, expect, it } from 'vitest';
import { parseAppointments } from '../../src/appointments/parse-appointments.js';
import type { Appointment } from '../../src/model/index.js';
import { DigitalTwin } from '../../src/twin/digital-twin.js';
import { loadTwinTimeline } from '../../src/cli/load-twin-timeline.js';
import { toFhirAppointmentBundle } from '../../src/twin/twin-appointments.js';
import type { TwinTimeline } from '../../src/twin/twin-timeline.js';

const SCENARIO = new URL('../../scenarios/hospital-district/scenario.yaml', import.meta.url).pathname;

function tinyTimeline(): TwinTimeline {
  return {
    scenario: 's',
    policy: 'p',
    seed: 1,
    startS: 100,
    endS: 1000,
    dayStartMs: 0,
    lotIds: ['L'],
    initialOccupancy: { L: { standard: 2 } },
    events: [
      { atS: 200, lotId: 'L', kind: 'standard', isArrival: true, tripId: 'a' },
      { atS: 300, lotId: 'L', kind: 'family', isArrival: true, tripId: 'b' },
      { atS: 300, lotId: 'L', kind: 'standard', isArrival: false, tripId: 'a' },
      { atS: 900, lotId: 'L', kind: 'family', isArrival: false, tripId: 'b' },
    ],
    queue: { intervalS: 300, timesS: [100, 400, 700], approachQueueM: [0, 50, 20] },
    appointments: [],
    map: { nodes: [], links: [], lots: [], signs: [] },
    linkQueues: {
      edgeIds: ['a', 'b'],
      seriesM: [
        [0, 15, 0],
        [7.5, 0, 0],
      ],
    },
  };
}

describe('DigitalTwin', () => {
  it('hands out the parks and leaves of each step once, in order, and keeps the occupancy', () => {
    const twin = new DigitalTwin(tinyTimeline());
    expect(twin.advanceTo(150)).toEqual([]);
    expect(twin.advanceTo(300).map((e) => e.tripId)).toEqual(['a', 'b', 'a']);
    expect(twin.occupancy()).toEqual({ L: { standard: 2, family: 1 } });
    expect(twin.advanceTo(250)).toEqual([]);
    expect(twin.nowS).toBe(300);
    expect(twin.approachQueueM()).toBe(0);
    expect(twin.approachQueueM(450)).toBe(50);
    expect(twin.linkQueuesM()).toEqual({ b: 7.5 });
    expect(twin.linkQueuesM(450)).toEqual({ a: 15 });
    expect(twin.linkQueuesM(900)).toEqual({});
    expect(twin.advanceTo(5000).map((e) => e.tripId)).toEqual(['b']);
    expect(twin.nowS).toBe(1000);
    expect(twin.isDone).toBe(true);
    expect(twin.occupancy()).toEqual({ L: { standard: 2, family: 0 } });
  });

  it('replays the hospital district deterministically, never over-filling a lot', () => {
    const first = loadTwinTimeline(SCENARIO, { policyName: 'combined' });
    const again = loadTwinTimeline(SCENARIO, { policyName: 'combined' });
    expect(again.events).toEqual(first.events);
    expect(first.events.length).toBeGreaterThan(1000);
    for (let i = 1; i < first.events.length; i++)
      expect(first.events[i]!.atS).toBeGreaterThanOrEqual(first.events[i - 1]!.atS);
    // The map is the scenario's own network, with every lot's gate and every sign on a link of it.
    const linkIds = new Set(first.map.links.map((l) => l.id));
    const nodeIds = new Set(first.map.nodes.map((n) => n.id));
    expect(first.map.links.every((l) => nodeIds.has(l.fromNodeId) && nodeIds.has(l.toNodeId))).toBe(true);
    expect(first.map.lots.map((l) => l.lotId)).toEqual(['H', 'P2', 'SC', 'ML']);
    expect(first.map.signs.map((s) => s.signId)).toEqual(['G-west', 'G-east', 'G-south']);
    expect(
      [...first.map.lots.map((l) => l.entryEdgeId), ...first.map.signs.map((s) => s.edgeId)].every((id) =>
        linkIds.has(id),
      ),
    ).toBe(true);
    expect(first.linkQueues.edgeIds.length).toBeGreaterThan(0);
    expect(first.linkQueues.edgeIds.every((id) => linkIds.has(id))).toBe(true);
    const twin = new DigitalTwin(first);
    twin.advanceTo(first.endS);
    const capacity: Record<string, number> = { H: 900, P2: 546, SC: 250, ML: 300 };
    for (const [lotId, byKind] of Object.entries(twin.occupancy())) {
      const total = Object.values(byKind).reduce((a, b) => a + (b ?? 0), 0);
      expect(total).toBeGreaterThanOrEqual(0);
      expect(total).toBeLessThanOrEqual(capacity[lotId]!);
    }
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
