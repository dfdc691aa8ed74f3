import { readFileSync, writeFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { allocate, allocateFirstComeFirstServed } from '../allocation/allocate.js';
import { checkAllocationDay } from '../allocation/allocation-day-schema.js';
import { type AllocationOptions, checkAllocationOptions } from '../allocation/allocation-options.js';
import type { AllocationDay, AllocationPlan } from '../allocation/allocation-types.js';
import { type AppointmentFormat, firstAppointmentError, readAppointments } from '../appointments/parse-appointments.js';
import { errors } from '../errors.js';
import { parseAnyNetwork } from '../network/network-file.js';
import { parseLotsFile } from '../scenario/lots-file.js';
import { runCommand } from './command.js';
import { summaryTable } from '../report/plan-summary.js';

const USAGE = `usage: citybay-sim allocate --day <day.json> [--options <options.json>] --out <plan.json> [--fcfs]
       citybay-sim allocate <appointments.json|.csv> --lots <lots.yaml> --out <plan.json> [options]
Gives each appointment's car an outcome — a lot, zone, bay kind and arrival window, a park-and-ride lot, drop-off
advice or the wait-list — and prints a summary table. The first form takes exactly what allocate(day, options)
takes: day.json is the AllocationDay, options.json (JSON or YAML) its options (every cost and limit: see the sim
README). The second reads appointment and lots files:
  --options <file>         allocation options (as above)
  --format fhir|json|csv   appointment file format (default: from the file name and content)
  --day-start <ISO>        local midnight of the day, e.g. 2026-03-02T00:00:00+08:00
                           (default: UTC midnight of the earliest appointment)
  --network <file>         road network (.net.xml or YAML/JSON) for drive times and routes
  --origins <file>         YAML/JSON map from origin zone id to the network edge trips start on
                           (zone ids that are edge ids need no entry)
  --location <ref>=<id>    FHIR Location reference that means an entrance, e.g. Location/1=main
                           (repeatable; an unmapped Location participant is ignored with a warning)
  --slot-min <n>           gate slot in minutes (overrides the options file; default 15)
both:
  --fcfs                   write the first-come-first-served plan instead (for comparison)`;

export function runAllocateCommand(argv: string[]): Promise<number> {
  const options = {
    day: { type: 'string' },
    options: { type: 'string' },
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
  return runCommand(argv, { usage: USAGE, options, required: ['out'], positional: 'optional' }, (path, values) => {
    const hasDay = values.day !== undefined;
    if (hasDay === (path !== '') || (!hasDay && values.lots === undefined)) {
      console.error(USAGE);
      return 2;
    }
    let allocationOptions = values.options === undefined ? {} : readOptions(values.options);
    let day: AllocationDay;
    if (values.day !== undefined) {
      const dayFlags = ['lots', 'format', 'day-start', 'network', 'origins', 'slot-min', 'location'] as const;
      const stray = dayFlags.find((flag) => values[flag] !== undefined);
      if (stray !== undefined) throw new Error(`--${stray}: not used with --day (day.json holds the whole day)`);
      day = checkAllocationDay(readJson(values.day), values.day);
    } else {
      day = dayFromFiles(path, values);
      if (values['slot-min'] !== undefined) {
        const slotMin = Number(values['slot-min']);
        allocationOptions = checkAllocationOptions({ ...allocationOptions, slotMin }, '--slot-min');
      }
    }
    const startedMs = performance.now();
    const plan =
      values.fcfs === true ? allocateFirstComeFirstServed(day, allocationOptions) : allocate(day, allocationOptions);
    const wallMs = performance.now() - startedMs;
    const baseline = values.fcfs === true ? undefined : allocateFirstComeFirstServed(day, allocationOptions);
    writeFileSync(values.out, `${JSON.stringify(readablePlan(plan), null, 2)}\n`);
    console.log(summaryTable(plan, baseline, wallMs));
    console.log(`plan for ${plan.summary.appointments} appointments written to ${values.out}`);
    return 0;
  });
}

/** The plan as written: each time also as an ISO string next to the milliseconds (people read the file too). */
export function readablePlan(plan: AllocationPlan): object {
  const iso = (ms: number): string => new Date(ms).toISOString();
  return {
    dayStart: iso(plan.dayStartMs),
    ...plan,
    assignments: plan.assignments.map((a) => ({
      ...a,
      arrivalFrom: iso(a.arrivalWindow.fromMs),
      arrivalTo: iso(a.arrivalWindow.toMs),
      holdUntil: iso(a.holdUntilMs),
      ...(a.reschedule === undefined ? {} : { suggestedStart: iso(a.reschedule.suggestedStartMs) }),
    })),
  };
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== undefined) throw cause;
    throw errors.CB_ALLOCATION_INVALID(`${path}: not valid JSON (${(cause as Error).message})`, {
      path: '(root)',
      cause,
    });
  }
}

function readOptions(path: string): AllocationOptions {
  let document: unknown;
  try {
    document = parseYaml(readFileSync(path, 'utf8'));
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== undefined) throw cause;
    throw errors.CB_ALLOCATION_INVALID(`${path}: not valid YAML/JSON`, { path: '(root)', cause });
  }
  return checkAllocationOptions(document ?? {}, path);
}

function dayFromFiles(
  appointmentsPath: string,
  values: {
    lots?: string;
    format?: string;
    'day-start'?: string;
    network?: string;
    origins?: string;
    location?: string[];
  },
): AllocationDay {
  const format = values.format;
  if (format !== undefined && format !== 'fhir' && format !== 'json' && format !== 'csv') {
    throw new Error(`--format: "${format}" is not fhir, json or csv`);
  }
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
  const lotsPath = values.lots ?? '';
  const lots = parseLotsFile(readFileSync(lotsPath, 'utf8'), lotsPath);
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
  return day;
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
