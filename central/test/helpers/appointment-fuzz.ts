import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import type { CentralStore } from '../../src/store/store.js';
import { SqliteStore } from '../../src/store/store-sqlite.js';
import { sampleSite, siteDefinitionFor } from './sample-site.js';
import { HOSPITAL_KEY, makeTestApp, type TestApp } from './test-app.js';

/** Cases per property: 1,000 in CI, the soak bench sets 100,000 (`CITYBAY_FUZZ_RUNS`). */
export const FUZZ_RUNS = Number(process.env.CITYBAY_FUZZ_RUNS ?? 1000);
/** A fresh app and store every so many cases, so a long soak does not grow one day without end. */
const CASES_PER_APP = 1000;
/** Generous per-case time for the test timeout (a loaded machine included). */
export const fuzzTimeoutMs = (properties: number) => 120_000 + properties * FUZZ_RUNS * 40;

const fixtures = new URL('../../../sim/test/appointments/fixtures/fhir-r4/', import.meta.url);
const TOMORROW = '2026-11-19';
const example = (name: string, from: string): unknown =>
  JSON.parse(readFileSync(new URL(name, fixtures), 'utf8').replaceAll(from, TOMORROW));
const appointment = (id: string, start: string) => ({
  resourceType: 'Appointment',
  id,
  status: 'booked',
  start,
  end: start.replace('T09', 'T10'),
  participant: [{ actor: { reference: `Patient/${id}` }, status: 'accepted' }],
});

/** What real senders send: the spec's examples (moved to the coming days) and EHR-shaped Bundles. */
export const FHIR_SEEDS: unknown[] = [
  example('appointment-example.json', '2013-12-10'),
  example('appointment-example2doctors.json', '2013-12-09'),
  { ...(example('appointment-example-request.json', '2016-06-02') as object), requestedPeriod: [{ start: TOMORROW }] },
  {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: 'urn:uuid:1',
        resource: { resourceType: 'Patient', name: [{ family: 'Doe' }] },
        request: { method: 'POST', url: 'Patient' },
      },
      { resource: appointment('t1', '2026-11-19T09:00:00Z'), request: { method: 'PUT', url: 'Appointment/t1' } },
      { resource: appointment('t2', '2026-11-20T09:30:00Z'), request: { method: 'PUT', url: 'Appointment/t2' } },
    ],
  },
  {
    resourceType: 'Bundle',
    type: 'searchset',
    entry: [
      { resource: appointment('s1', '2026-11-19T09:15:00Z'), search: { mode: 'match' } },
      { resource: { resourceType: 'Patient', id: 's1' }, search: { mode: 'include' } },
      {
        resource: { resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'informational' }] },
        search: { mode: 'outcome' },
      },
    ],
  },
  {
    resourceType: 'Bundle',
    type: 'batch',
    entry: [
      { resource: appointment('b1', '2026-11-21T09:00:00Z'), request: { method: 'PUT', url: 'Appointment/b1' } },
      { resource: appointment('b2', '2026-11-17T09:00:00Z'), request: { method: 'PUT', url: 'Appointment/b2' } },
    ],
  },
];

export const JSON_SEEDS: unknown[] = [
  {
    appointments: [
      { id: 'p1', start: '2026-11-19T09:00:00Z', durationMin: 30, requiredKind: 'accessible', entranceId: 'main' },
      {
        id: 'p2',
        start: '2026-11-20T10:00:00+01:00',
        end: '2026-11-20T10:45:00+01:00',
        preferredKinds: ['ev', 'family'],
      },
    ],
  },
  [{ id: 7, start: Date.parse('2026-11-19T12:00:00Z'), durationMin: 45, status: 'cancelled' }],
];

const hostile = fc.oneof(
  fc.constantFrom(null, 1e308, -1, 0, 40_000_000, 1.5, '', [], {}, [null], true),
  fc.constantFrom(
    '+275760-09-13T00:00:00.000Z',
    '2026-02-30T08:00:00Z',
    '2013-12-10T09:00:00Z',
    '2026-11-19T09:45:00Z',
    '2026-11-19',
    '9999-12-31T23:59:59Z',
    'Location/1',
    'Patient/x',
    'Appointment',
    'Bundle',
    'batch',
    'transaction',
    'document',
    'proposed',
    'staff',
    'DELETE',
    'x'.repeat(300),
  ),
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.jsonValue({ maxDepth: 2 }),
);

interface Mutation {
  at: number;
  op: 'set' | 'delete' | 'wrap' | 'copy';
  value: unknown;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('set', 'set', 'set', 'delete', 'wrap', 'copy'),
  value: hostile,
});

type Slot = { parent: Record<string, unknown> | unknown[]; key: string | number };

function slotsOf(value: unknown, out: Slot[] = []): Slot[] {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push({ parent: value, key: i });
      slotsOf(v, out);
    });
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      out.push({ parent: value as Record<string, unknown>, key: k });
      slotsOf(v, out);
    }
  }
  return out;
}

/** A deep copy of `seed` with the mutations applied at places picked among all of its fields. */
export function mutate(seed: unknown, mutations: readonly Mutation[]): unknown {
  const copy = structuredClone(seed);
  for (const m of mutations) {
    const slots = slotsOf(copy);
    if (slots.length === 0) return m.value;
    const { parent, key } = slots[m.at % slots.length]!;
    const target = parent as Record<string | number, unknown>;
    if (m.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete target[key];
    } else if (m.op === 'wrap') target[key] = [target[key]];
    else if (m.op === 'copy' && Array.isArray(parent)) parent.push(structuredClone(parent[key as number]));
    else target[key] = m.value;
  }
  return copy;
}

/** A body: a mutated seed mostly, now and then arbitrary JSON. */
export const bodyOf = (seeds: readonly unknown[]) =>
  fc.oneof(
    {
      weight: 9,
      arbitrary: fc
        .record({ seed: fc.constantFrom(...seeds), mutations: fc.array(mutation, { minLength: 0, maxLength: 3 }) })
        .map(({ seed, mutations }) => mutate(seed, mutations)),
    },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  );

/** A real app on a SQLite file that counts its committed appointment saves. */
export async function fuzzApp(): Promise<{ t: TestApp; saves: () => number; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'citybay-appointment-fuzz-'));
  const sqlite = new SqliteStore({ path: join(dir, 'central.db') });
  let saves = 0;
  const store = new Proxy(sqlite, {
    get(target, name) {
      const value: unknown = Reflect.get(target, name, target);
      if (name === 'saveAppointmentDays') {
        return async (...args: Parameters<CentralStore['saveAppointmentDays']>) => {
          await target.saveAppointmentDays(...args);
          saves += 1;
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const t = await makeTestApp({ allocatorDaysKept: 4 }, store);
  const definition = siteDefinitionFor(sampleSite());
  definition.entrances[0]!.fhirLocations = ['Location/1'];
  await t.store.putSite(definition, 0);
  return {
    t,
    saves: () => saves,
    close: async () => {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Heap in use after a full collection (V8's gc made reachable for this measurement only). */
export function heapAfterGcBytes(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

export { HOSPITAL_KEY, CASES_PER_APP };
