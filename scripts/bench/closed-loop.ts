/**
 * `npm run bench:closed-loop -w @citybay/scripts` (after `npm run build`): the district closed-loop — central, one
 * edge per site and the twin as processes, as `npm start` runs them, the twin at 30× — against the same policy and
 * seed run offline by the simulator library (the run's own sign policy planning the field's signs), over the same
 * window. Prints peak and p95 approach queue, mean time to park and cars not parked for both, the loop's measured
 * latencies, and the sign check (samples where a sign showed FULL over at least the hysteresis of free public bays,
 * or FULL over bays another sign showed free). Ends with one line:
 * `closed-loop: peak-queue-diff-pct=<x> time-to-park-diff-pct=<y> contradictory-sign-samples=<n>`.
 *
 * Options: --from HH:MM --to HH:MM (default 07:00–11:00, the morning peak; a shorter window for development),
 * --speed <x> (default 30), --compliance <share>, --source (run the TypeScript sources instead of the build).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadTwinRun, type PlayablePlan } from '@citybay/sim';
import { parseTwinLayout } from '../src/district/twin-layout.js';
import { startStack } from '../src/stack/start-stack.js';
import { fieldSignsOf } from '../src/twin/field-signs.js';
import type { LatencySummary } from '../src/twin/loop-latency.js';
import { windowFigures, type WindowFigures } from '../src/twin/window-figures.js';

interface TwinResult {
  figures: WindowFigures;
  latency: { sensorToSign: LatencySummary; directiveRoundTrip: LatencySummary };
  preAssigned: {
    byCentral: number;
    withoutReservation: number;
    reservationArrivedLater: number;
    differsFromPlan: number;
  };
  plan: PlayablePlan | null;
  appointmentOutcomes: Record<string, number>;
  reservationsSeen: number;
  signCheck: {
    samples: number;
    contradictory: number;
    fullOverFree: number;
    fullOverFreeWithinLatency: number;
    last: string | null;
  };
}

const { values } = parseArgs({
  options: {
    from: { type: 'string', default: '07:00' },
    to: { type: 'string', default: '11:00' },
    speed: { type: 'string', default: '30' },
    compliance: { type: 'string' },
    source: { type: 'boolean', default: false },
  },
});
const clockS = (text: string) => {
  const [h, m] = text.split(':').map(Number);
  return h! * 3600 + m! * 60;
};
const speed = Number(values.speed);
const fromS = clockS(values.from);
const toS = clockS(values.to);
const compliance = values.compliance === undefined ? undefined : Number(values.compliance);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

const dataDir = mkdtempSync(join(tmpdir(), 'citybay-closed-loop-'));
const resultFile = join(dataDir, 'twin-result.json');
console.log(`closed-loop bench: window ${values.from}-${values.to} at ${speed}x, load average ${load()}`);
const startedMs = Date.now();
const stack = await startStack({
  dataDir,
  isFresh: true,
  port: 0,
  speed,
  from: values.from,
  to: values.to,
  policy: 'combined',
  faultEveryMin: 0,
  mode: values.source ? 'source' : 'dist',
  resultFile,
  ...(compliance === undefined ? {} : { signCompliance: compliance }),
  log: (line) => console.log(`  [start] ${line}`),
});
let twin: TwinResult;
try {
  console.log(`  stack up in ${((Date.now() - startedMs) / 1000).toFixed(1)} s; running the window live…`);
  // Booking the cars (allocation, then the reservations reaching the edges) comes first, and slows under load.
  const deadlineMs = Date.now() + ((toS - fromS) / speed) * 1000 + 600_000;
  while (!existsSync(resultFile)) {
    if (Date.now() > deadlineMs) throw new Error('the twin did not finish its window in time');
    const failed = await Promise.race([
      stack.failed,
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1000)),
    ]);
    if (failed !== undefined) throw new Error(`${failed} exited during the run`);
  }
  twin = JSON.parse(readFileSync(resultFile, 'utf8')) as TwinResult;
} finally {
  await stack.stop();
}
const loadAfterRun = load();

// Offline: the same policy, seed, compliance and field signs, the run's own sign policy planning them (the edges'
// guidance settings), playing the same plan — central's answers for the booked cars, as the twin played them — with
// no latency anywhere.
if (twin.plan === null) throw new Error('the twin played no plan from central (appointments not booked?)');
const layout = parseTwinLayout(readFileSync(join(dataDir, 'twin.json'), 'utf8'), 'twin.json');
const offlineRun = loadTwinRun(layout.scenarioPath, {
  policyName: 'combined',
  signs: fieldSignsOf(layout),
  preAssignment: twin.plan,
  ...(compliance === undefined ? {} : { signCompliance: compliance }),
});
offlineRun.simulation.stepWithOwnSigns(toS, layout.guidance);
const offline = windowFigures(offlineRun.simulation.output(), fromS, toS);
// For scale, not compared: the same offline run playing the simulator's own allocation (all hospital-open lots, the
// network's drive times, the initial occupancy) instead of central's (the appointment site's lots only).
const ownPlanRun = loadTwinRun(layout.scenarioPath, {
  policyName: 'combined',
  signs: fieldSignsOf(layout),
  ...(compliance === undefined ? {} : { signCompliance: compliance }),
});
ownPlanRun.simulation.stepWithOwnSigns(toS, layout.guidance);
const ownPlan = windowFigures(ownPlanRun.simulation.output(), fromS, toS);
rmSync(dataDir, { recursive: true, force: true });

const pct = (a: number, b: number) => (b === 0 ? (a === 0 ? 0 : 100) : ((a - b) / b) * 100);
const row = (name: string, f: WindowFigures) =>
  `  ${name.padEnd(12)} ${f.peakQueueM.toFixed(1).padStart(8)} ${f.p95QueueM.toFixed(1).padStart(8)} ${f.meanTimeToParkS.toFixed(1).padStart(10)} ${String(f.notParked).padStart(10)} ${String(f.parkTrips).padStart(10)}`;
console.log('\n  run          peak m    p95 m  park mean s  not parked  park trips');
console.log(row('closed-loop', twin.figures));
console.log(row('offline', offline));
const peakDiff = pct(twin.figures.peakQueueM, offline.peakQueueM);
const p95Diff = pct(twin.figures.p95QueueM, offline.p95QueueM);
const parkDiff = pct(twin.figures.meanTimeToParkS, offline.meanTimeToParkS);
console.log(
  `  difference   ${peakDiff.toFixed(1).padStart(7)}% ${p95Diff.toFixed(1).padStart(7)}% ${parkDiff.toFixed(1).padStart(9)}%`,
);
console.log(row('offline/sim', ownPlan) + "  (the simulator's own plan instead of central's: for scale only)");
const lat = (name: string, l: LatencySummary) =>
  `  ${name}: median ${l.medianMs} ms (${((l.medianMs * speed) / 1000).toFixed(0)} simulated s), p95 ${l.p95Ms} ms (${((l.p95Ms * speed) / 1000).toFixed(0)} simulated s), n=${l.count}`;
console.log('\nmeasured loop latencies (real; ×' + speed + ' in simulated time):');
console.log(lat('bay set on a sensor -> next write of a sign showing its lot', twin.latency.sensorToSign));
console.log(lat('appointment posted -> its reservation held by the edge', twin.latency.directiveRoundTrip));
// A fingerprint of the plan, so runs can tell whether central planned the same day (it should, for the same input).
const planFingerprint = createHash('sha256').update(JSON.stringify(twin.plan)).digest('hex').slice(0, 12);
console.log(
  `plan: central's answers for ${twin.plan.assignments.length} booked cars, played by both runs (${Object.entries(
    twin.appointmentOutcomes,
  )
    .map(([outcome, n]) => `${n} ${outcome}`)
    .join(', ')}; fingerprint ${planFingerprint})`,
);
console.log(
  `pre-assigned drivers: ${twin.preAssigned.byCentral} held central's reservation as the edge had it, ${twin.preAssigned.withoutReservation} the plan gave a bay set off with none at the edge (${twin.preAssigned.reservationArrivedLater} of them: it reached the edge later; the rest: central withdrew it); ${twin.reservationsSeen} reservations seen at the edges`,
);
console.log(
  `pre-assigned drivers differing between the runs: ${twin.preAssigned.differsFromPlan} (set off without the plan's reservation, or holding another lot than the plan's)`,
);
console.log(
  `sign check: ${twin.signCheck.samples} samples, ${twin.signCheck.contradictory} contradictory (${twin.signCheck.fullOverFree} FULL over >= the hysteresis of free public bays for longer than the p95 sensor-to-sign latency); ${twin.signCheck.fullOverFreeWithinLatency} more within that latency, not counted${twin.signCheck.last ? `; last: ${twin.signCheck.last}` : ''}`,
);
console.log(
  `load average: ${load()} now, ${loadAfterRun} after the live run; total ${((Date.now() - startedMs) / 1000).toFixed(0)} s`,
);
console.log(
  `closed-loop: peak-queue-diff-pct=${peakDiff.toFixed(1)} time-to-park-diff-pct=${parkDiff.toFixed(1)} contradictory-sign-samples=${twin.signCheck.contradictory}`,
);
process.exit(0);
