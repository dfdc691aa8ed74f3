import { readFileSync, writeFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { allocate, allocateFirstComeFirstServed } from '../allocation/allocate.js';
import type { AllocationDay, AllocationPlan } from '../allocation/allocation-types.js';
import { type AppointmentFormat, firstAppointmentError, readAppointments } from '../appointments/parse-appointments.js';
import { errors } from '../errors.js';
import { parseAnyNetwork } from '../network/network-file.js';
import { parseLotsFile } from '../scenario/lots-file.js';
import { runCommand } from './command.js';

const USAGE = `usage: citybay-sim allocate <appointments.json|.csv> --lots <lots.yaml> --out <plan.json> [options]
Pre-assigns each appointment's car a lot, zone and bay kind (and a route) and prints a summary table.
options:
  --format fhir|json|csv   appointment file format (default: from the file name and content)
  --day-start <ISO>        local midnight of the day, e.g. 2026-03-02T00:00:00+08:00
                           (default: UTC midnight of the earliest appointment)
  --network <file>         road network (.net.xml or YAML/JSON) for drive times and routes
  --origins <file>         YAML/JSON map from origin zone id to the network edge trips start on
                           (zone ids that are edge ids need no entry)
  --location <ref>=<id>    FHIR Location reference that means an entrance, e.g. Location/1=main
                           (repeatable; an unmapped Location participant is ignored with a warning)
  --slot-min <n>           planning slot in minutes (default 15)
  --fcfs                   write the first-come-first-served plan instead (for comparison)`;

export function runAllocateCommand(argv: string[]): Promise<number> {
  const options = {
    lots: { type: 'string' },
    out: { type: 'string' },
    format: { type: 'string' },
    'day-start': { type: 'string' },
    network: { type: 'string' },
    origins: { type: 'string' },
    'slot-min': { type: 'string' },
    location: { type: 'string', multiple: true },
    fcfs: { type: 'boolean' },
  } as const;
  return runCommand(argv, { usage: USAGE, options, required: ['lots', 'out'] }, (appointmentsPath, values) => {
    const format = values.format;
    if (format !== undefined && format !== 'fhir' && format !== 'json' && format !== 'csv') {
      throw new Error(`--format: "${format}" is not fhir, json or csv`);
    }
    const slotMin = values['slot-min'] === undefined ? 15 : Number(values['slot-min']);
    if (!Number.isInteger(slotMin) || slotMin <= 0 || 1440 % slotMin !== 0)
      throw new Error(`--slot-min: "${values['slot-min']}" must divide a day into whole slots`);
    const locationEntrances: Record<string, string> = {};
    for (const pair of values.location ?? []) {
      const [reference, entranceId] = pair.split('=');
      if (!reference || !entranceId) throw new Error(`--location: "${pair}" is not <Location/id>=<entrance>`);
      locationEntrances[reference] = entranceId;
    }
    const read = readAppointments(
      readFileSync(appointmentsPath, 'utf8'),
      appointmentsPath,
      format as AppointmentFormat | undefined,
      { locationEntrances },
    );
    const error = firstAppointmentError(read, appointmentsPath);
    if (error) throw error;
    for (const issue of read.issues) console.error(`${issue.severity}: ${appointmentsPath}: ${issue.message}`);
    const appointments = read.entries.flatMap((e) => (e.appointment === undefined ? [] : [e.appointment]));
    if (appointments.length === 0)
      throw errors.CB_APPOINTMENT_INVALID(`${appointmentsPath}: no appointments`, { path: '' });
    const lots = parseLotsFile(readFileSync(values.lots, 'utf8'), values.lots);
    const dayStartMs =
      values['day-start'] === undefined
        ? utcMidnight(Math.min(...appointments.map((a) => a.startMs)))
        : Date.parse(values['day-start']);
    if (!Number.isFinite(dayStartMs)) throw new Error(`--day-start: "${values['day-start']}" is not an ISO date-time`);
    const day: AllocationDay = { dayStartMs, appointments, lots };
    if (values.network !== undefined) {
      const network = parseAnyNetwork(readFileSync(values.network, 'utf8'), values.network);
      const edgeIds = new Set(network.edges.map((e) => e.id));
      const origins = values.origins === undefined ? {} : readOrigins(values.origins);
      for (const a of appointments) {
        if (a.originZoneId !== undefined && origins[a.originZoneId] === undefined && edgeIds.has(a.originZoneId))
          origins[a.originZoneId] = a.originZoneId;
      }
      day.network = network;
      day.originEdgeByZone = origins;
    }
    const startedMs = performance.now();
    const plan = values.fcfs === true ? allocateFirstComeFirstServed(day, { slotMin }) : allocate(day, { slotMin });
    const wallMs = performance.now() - startedMs;
    const baseline = values.fcfs === true ? undefined : allocateFirstComeFirstServed(day, { slotMin });
    // People read the file too: each time also as an ISO string next to the milliseconds.
    const readable = {
      dayStart: new Date(dayStartMs).toISOString(),
      ...plan,
      assignments: plan.assignments.map((a) => ({
        ...a,
        arrivalFrom: new Date(a.arrivalWindow.fromMs).toISOString(),
        arrivalTo: new Date(a.arrivalWindow.toMs).toISOString(),
        holdUntil: new Date(a.holdUntilMs).toISOString(),
      })),
    };
    writeFileSync(values.out, `${JSON.stringify(readable, null, 2)}\n`);
    console.log(summaryTable(plan, baseline, wallMs));
    console.log(`plan for ${plan.summary.appointments} appointments written to ${values.out}`);
    return 0;
  });
}

function utcMidnight(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

function readOrigins(path: string): Record<string, string> {
  let document: unknown;
  try {
    document = parseYaml(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw errors.CB_ALLOCATION_INVALID(`${path}: not valid YAML/JSON`, { path: '', cause });
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw errors.CB_ALLOCATION_INVALID(`${path}: expected a map from origin zone id to edge id`, { path: '' });
  }
  const origins: Record<string, string> = {};
  for (const [zone, edge] of Object.entries(document)) {
    if (typeof edge !== 'string')
      throw errors.CB_ALLOCATION_INVALID(`${path}: ${zone}: expected an edge id, got ${JSON.stringify(edge)}`, {
        path: zone,
      });
    origins[zone] = edge;
  }
  return origins;
}

/** The table an operator reads: per lot what was assigned and how close to its bays and gate, then totals. */
export function summaryTable(plan: AllocationPlan, baseline: AllocationPlan | undefined, wallMs: number): string {
  const s = plan.summary;
  const rows = [
    ['lot', 'cars', 'standard', 'accessible', 'family', 'ev', 'peak held', 'peak arrivals/slot', 'gate cap/slot'],
  ];
  for (const lot of s.lots) {
    rows.push([
      lot.lotId,
      String(lot.assigned),
      String(lot.byKind.standard ?? 0),
      String(lot.byKind.accessible ?? 0),
      String(lot.byKind.family ?? 0),
      String(lot.byKind.ev ?? 0),
      String(lot.peakHeldBays),
      String(lot.peakArrivalsPerSlot),
      String(lot.gateCapacityPerSlot),
    ]);
  }
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  const lines = rows.map((r) =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  '),
  );
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  const perCar = (v: number): string => `${(v / Math.max(1, s.appointments)).toFixed(0)} s/car`;
  lines.push(
    '',
    `placed ${s.placed} of ${s.appointments}, unplaced ${s.unplaced}, fallbacks ${s.fallbacks}`,
    `cost ${s.objectiveS.toFixed(0)} s = drive ${s.driveS.toFixed(0)} + weighted walk ${s.weightedWalkS.toFixed(0)} + fallbacks ${s.fallbackPenaltyS.toFixed(0)} + unplaced ${s.unplacedPenaltyS.toFixed(0)} (${perCar(s.objectiveS)})`,
  );
  if (s.lowerBoundS > 0) {
    lines.push(
      `${s.isProvenOptimal ? 'proven optimal' : `within ${s.gapPct.toFixed(2)} % of the optimum (bound ${s.lowerBoundS.toFixed(0)} s)`}; computed in ${wallMs.toFixed(0)} ms`,
    );
  } else lines.push(`first-come-first-served plan; computed in ${wallMs.toFixed(0)} ms`);
  if (baseline !== undefined) {
    const worse = (100 * (baseline.summary.objectiveS - s.objectiveS)) / Math.max(1, s.objectiveS);
    lines.push(
      `first-come-first-served on the same day: ${baseline.summary.objectiveS.toFixed(0)} s (${worse.toFixed(1)} % worse, ${baseline.summary.unplaced} unplaced)`,
    );
  }
  return lines.join('\n');
}
