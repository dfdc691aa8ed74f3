import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { allocate } from '../../src/allocation/allocate.js';
import type { AllocationOptions } from '../../src/allocation/allocation-types.js';
import { syntheticDay } from '../../src/allocation/synthetic-day.js';
import { runAllocateCommand } from '../../src/cli/allocate-command.js';

const here = new URL('.', import.meta.url).pathname;
const fixtures = join(here, '../allocation/fixtures');
const scenario = join(here, '../../scenarios/hospital-district');
const dir = mkdtempSync(join(tmpdir(), 'citybay-allocate-'));

afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function capture(): { out: () => string; err: () => string } {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  return { out: () => log.mock.calls.flat().join('\n'), err: () => error.mock.calls.flat().join('\n') };
}

describe('citybay-sim allocate', () => {
  it('plans a FHIR bundle over a SUMO network, writes the plan and prints the summary table', async () => {
    const io = capture();
    const out = join(dir, 'plan.json');
    const code = await runAllocateCommand([
      join(fixtures, 'appointments.fhir.json'),
      '--lots',
      join(scenario, 'lots.yaml'),
      '--network',
      join(scenario, 'hospital-district.net.xml'),
      '--day-start',
      '2026-03-02T00:00:00+08:00',
      '--location',
      'Location/main=main',
      '--location',
      'Location/outpatient=outpatient',
      '--out',
      out,
    ]);
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    expect(io.out()).toMatch(/^lot\s+cars\s+standard/m);
    expect(io.out()).toContain('placed 12 of 12');
    const plan = JSON.parse(readFileSync(out, 'utf8'));
    expect(plan.dayStart).toBe('2026-03-01T16:00:00.000Z');
    expect(plan.assignments).toHaveLength(12);
    const accessible = plan.assignments.find((a: { appointmentId: string }) => a.appointmentId === 'apt-002');
    expect(accessible).toMatchObject({ placed: true, kind: 'accessible', arrivalFrom: '2026-03-01T22:45:00.000Z' });
    expect(accessible.route.edgeIds[0]).toBe('w_E3E2');
    expect(accessible.route.text).toMatch(/^Via w_E3E2/);
  });

  it('reads the CSV form and can write the first-come-first-served plan', async () => {
    const io = capture();
    const out = join(dir, 'fcfs.json');
    const code = await runAllocateCommand([
      join(fixtures, 'appointments.csv'),
      '--lots',
      join(scenario, 'lots.yaml'),
      '--out',
      out,
      '--fcfs',
    ]);
    expect(code).toBe(0);
    expect(io.out()).toContain('first-come-first-served plan');
    expect(JSON.parse(readFileSync(out, 'utf8')).assignments).toHaveLength(4);
  });

  it('fails with the code, item and field of a bad appointment and writes nothing', async () => {
    const io = capture();
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify([{ id: 'x1', start: '2026-03-02T08:00:00+08:00', durationMin: 30, requiredKind: 'limo' }]),
    );
    const out = join(dir, 'never.json');
    const code = await runAllocateCommand([bad, '--lots', join(scenario, 'lots.yaml'), '--out', out]);
    expect(code).toBe(1);
    expect(io.err()).toMatch(/CB_APPOINTMENT_INVALID: .*bad\.json: \[0\]\.requiredKind \(id "x1"\)/);
    expect(() => readFileSync(out)).toThrow();
  });

  it('takes exactly what allocate(day, options) takes and writes the same plan, each car with its outcome', async () => {
    const io = capture();
    // A tight day: the gates and bays cannot take everyone at their nominal window.
    const day = syntheticDay(4, { appointmentCount: 300, capacityScale: 0.12, gateScale: 0.3 });
    const options: AllocationOptions = {
      slotMin: 10,
      arrivalWindowMin: 10,
      arrivalShift: { earlierMin: 30, stepMin: 10 },
      arrivalShiftByServiceType: {},
      shiftPenaltySPerMin: 20,
      unplacedPenaltyS: 9000,
      parkAndRide: [{ lotId: 'P5', shuttleRideS: 480, shuttleHeadwayS: 600, penaltyS: 300 }],
      dropOff: { penaltyS: 3000, vehPerMin: 1 },
      fallbackPenaltySByKind: { family: 400 },
      gateUtilisation: 0.9,
    };
    const dayPath = join(dir, 'day.json');
    const optionsPath = join(dir, 'options.json');
    writeFileSync(dayPath, JSON.stringify(day));
    writeFileSync(optionsPath, JSON.stringify(options));
    const out = join(dir, 'day-plan.json');
    const code = await runAllocateCommand(['--day', dayPath, '--options', optionsPath, '--out', out]);
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    const written = JSON.parse(readFileSync(out, 'utf8'));
    const expected = allocate(day, options);
    expect(written.summary.objectiveS).toBeCloseTo(expected.summary.objectiveS, 6);
    expect(written.slotMin).toBe(10);
    for (const a of written.assignments) {
      expect(['bay', 'park-and-ride', 'drop-off', 'wait-list']).toContain(a.outcome);
      expect(a.arrivalTo).toBe(new Date(a.arrivalWindow.toMs).toISOString());
      if (a.placed) expect(a).toMatchObject({ lotId: expect.any(String), kind: expect.any(String) });
    }
    expect(written.summary.shifted).toBeGreaterThan(0);
    expect(io.out()).toMatch(/outcomes: bay \d+, park-and-ride \d+, drop-off \d+, wait-list \d+/);
  });

  it('names the file and field of a bad day or options file, and a flag the --day form does not take', async () => {
    const day = syntheticDay(2, { appointmentCount: 5 });
    const dayPath = join(dir, 'day-ok.json');
    writeFileSync(dayPath, JSON.stringify(day));
    const run = async (args: string[]): Promise<{ code: number; err: string }> => {
      const io = capture();
      const code = await runAllocateCommand(args);
      const err = io.err();
      vi.restoreAllMocks();
      return { code, err };
    };
    const badOptions = join(dir, 'bad-options.json');
    writeFileSync(badOptions, JSON.stringify({ arrivalShift: { earlierMinutes: 30 } }));
    const out = join(dir, 'never-2.json');
    expect(await run(['--day', dayPath, '--options', badOptions, '--out', out])).toEqual({
      code: 1,
      err: expect.stringMatching(
        /^CB_ALLOCATION_INVALID: .*bad-options\.json: arrivalShift\.earlierMinutes: unknown setting/,
      ),
    });
    writeFileSync(badOptions, JSON.stringify({ gateUtilisation: 1.5 }));
    expect((await run(['--day', dayPath, '--options', badOptions, '--out', out])).err).toMatch(
      /bad-options\.json: gateUtilisation: expected ≤ 1, got 1\.5/,
    );
    const badDay = join(dir, 'bad-day.json');
    writeFileSync(badDay, JSON.stringify({ ...day, appointments: [{ ...day.appointments[0], startMs: 'soon' }] }));
    expect((await run(['--day', badDay, '--out', out])).err).toMatch(
      /CB_ALLOCATION_INVALID: .*bad-day\.json: appointments\[0\]\.startMs: expected a number, got "soon"/,
    );
    expect((await run(['--day', dayPath, '--lots', 'x.yaml', '--out', out])).err).toMatch(
      /--lots: not used with --day/,
    );
    expect(await run([dayPath, '--day', dayPath, '--out', out])).toMatchObject({ code: 2 });
    expect(() => readFileSync(out)).toThrow();
  });

  it('explains its usage when arguments are missing', async () => {
    const io = capture();
    expect(await runAllocateCommand(['only.json'])).toBe(2);
    expect(io.err()).toContain('usage: citybay-sim allocate');
  });
});
