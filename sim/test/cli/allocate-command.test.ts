import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
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

  it('explains its usage when arguments are missing', async () => {
    const io = capture();
    expect(await runAllocateCommand(['only.json'])).toBe(2);
    expect(io.err()).toContain('usage: citybay-sim allocate');
  });
});
