// Online re-optimisation: latency per event over a realistic stream on a 2,000-appointment day, and the
// plan it keeps against re-planning the whole day from scratch after the stream.
import { SeededRandom } from '@citybay/common';
import { allocate } from '../src/allocation/allocate.js';
import type { AllocationEvent } from '../src/allocation/online-allocator.js';
import { createOnlineAllocator } from '../src/allocation/online-allocator.js';
import { syntheticDay } from '../src/allocation/synthetic-day.js';

const day = syntheticDay(1);
const random = new SeededRandom(99);
const minute = 60_000;
const startBuild = performance.now();
const online = createOnlineAllocator(day);
const buildMs = performance.now() - startBuild;

// The stream: through the day, per appointment in start order — 70% set off (en-route) 40 min before,
// 20% of those report a changed arrival (−15..+30 min), 5% cancel the evening before or in the morning,
// 6% are no-shows, 80% park; plus 150 new appointments booked during the day, and one lot closing.
const events: AllocationEvent[] = [];
const ordered = [...day.appointments].sort((a, b) => a.startMs - b.startMs);
for (const a of ordered) {
  const r = random.next();
  if (r < 0.05) {
    events.push({ type: 'cancelled', appointmentId: a.id, atMs: a.startMs - 120 * minute });
    continue;
  }
  if (r < 0.11) {
    events.push({ type: 'no-show', appointmentId: a.id, atMs: a.startMs });
    continue;
  }
  events.push({ type: 'en-route', appointmentId: a.id, atMs: a.startMs - 70 * minute });
  if (random.next() < 0.2) {
    events.push({
      type: 'arrival-changed',
      appointmentId: a.id,
      expectedArrivalMs: a.startMs - 30 * minute + random.int(-15, 31) * minute,
      atMs: a.startMs - 60 * minute,
    });
  }
  if (random.next() < 0.8) events.push({ type: 'parked', appointmentId: a.id, atMs: a.startMs - 20 * minute });
}
for (let k = 0; k < 150; k++) {
  const template = day.appointments[random.int(0, day.appointments.length)];
  if (template === undefined) continue;
  const shiftMin = random.int(0, 8) * 15 + 60;
  events.push({
    type: 'new-appointment',
    appointment: {
      ...template,
      id: `new-${k}`,
      startMs: template.startMs + shiftMin * minute,
      endMs: template.endMs + shiftMin * minute,
    },
    atMs: template.startMs - 180 * minute,
  });
}
events.push({
  type: 'lot-closed',
  lotId: 'P4',
  atMs: day.dayStartMs + 11 * 60 * minute,
  untilMs: day.dayStartMs + 13 * 60 * minute,
});
events.sort((a, b) => a.atMs - b.atMs);

// A service runs for days; one pass over the stream on a throwaway allocator warms the JIT first.
const warm = createOnlineAllocator(day);
const coldLatencies: number[] = [];
for (const event of events) {
  const t0 = performance.now();
  warm.onEvent(event);
  coldLatencies.push(performance.now() - t0);
}
const latencies: number[] = [];
const byType = new Map<string, number[]>();
for (const event of events) {
  const t0 = performance.now();
  online.onEvent(event);
  const ms = performance.now() - t0;
  latencies.push(ms);
  const list = byType.get(event.type) ?? [];
  list.push(ms);
  byType.set(event.type, list);
}
const pct = (list: number[], p: number): number => {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const replanStart = performance.now();
allocate(day);
const replanMs = performance.now() - replanStart;

console.log('online re-optimisation on a 2,000-appointment day (machine shared: timings may be pessimistic)');
console.log(`initial plan ${buildMs.toFixed(0)} ms; ${events.length} events`);
console.log(
  `cold (first pass, JIT warming): p50 ${pct(coldLatencies, 50).toFixed(3)} ms, p99 ${pct(coldLatencies, 99).toFixed(3)} ms, max ${Math.max(...coldLatencies).toFixed(2)} ms`,
);
console.log(
  `all events: p50 ${pct(latencies, 50).toFixed(3)} ms, p99 ${pct(latencies, 99).toFixed(3)} ms, max ${Math.max(...latencies).toFixed(2)} ms  (target p99 ≤ 5 ms)`,
);
for (const [type, list] of byType)
  console.log(
    `  ${type.padEnd(17)} n=${String(list.length).padStart(4)}  p50 ${pct(list, 50).toFixed(3)} ms  p99 ${pct(list, 99).toFixed(3)} ms`,
  );
console.log(
  `reference: re-planning the whole day once takes ${replanMs.toFixed(0)} ms = ${(replanMs / pct(latencies, 99)).toFixed(0)}x the online p99`,
);
const slowest = latencies
  .map((ms, k) => ({ ms, k }))
  .sort((a, b) => b.ms - a.ms)
  .slice(0, 5);
console.log(`slowest: ${slowest.map((s) => `#${s.k} ${events[s.k]?.type} ${s.ms.toFixed(1)} ms`).join(', ')}`);
const newPlaced = Array.from({ length: 150 }, (_, k) => online.assignment(`new-${k}`)).filter((a) => a?.placed).length;
console.log(
  `new appointments placed: ${newPlaced}/150; objective after the stream ${online.objectiveS().toFixed(0)} s`,
);

// How far the event-by-event plan is from a full re-plan of the cars that have not set off: a fresh
// allocator takes the first half of the stream, then one `reoptimise` at that moment.
const half = createOnlineAllocator(day);
const middle = events[Math.floor(events.length / 2)]?.atMs ?? day.dayStartMs;
for (const event of events) if (event.atMs < middle) half.onEvent(event);
const incremental = half.objectiveS();
const r0 = performance.now();
const reopt = half.onEvent({ type: 'reoptimise', atMs: middle });
const reoptMs = performance.now() - r0;
console.log(
  `at ${new Date(middle).toISOString().slice(11, 16)} UTC: event-by-event plan ${incremental.toFixed(0)} s; full re-plan of the cars not yet en route ${reopt.objectiveS.toFixed(0)} s ` +
    `(${((100 * (incremental - reopt.objectiveS)) / incremental).toFixed(3)} % lower, ${reopt.changed.length} cars moved, ${reoptMs.toFixed(0)} ms)`,
);
