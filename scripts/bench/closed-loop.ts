/**
 * `npm run bench:closed-loop -w @citybay/scripts` (after `npm run build`): the district closed-loop — central, one
 * edge per site and the twin as processes, as `npm start` runs them, the twin at 30× — against the same policy and
 * seed run offline by the simulator library (the run's own sign policy planning the field's signs), over the same
 * window. Prints peak and p95 approach queue, mean time to park and cars not parked for both, the loop's measured
 * latencies, and the sign check (samples where a sign showed FULL over at least the hysteresis of free public bays,
 * or FULL over bays another sign showed free). Ends with one line:
 * `closed-loop: peak-queue-diff-pct=<x> time-to-park-diff-pct=<y> contradictory-sign-samples=<n>`.
 *
 * Options: --scenario <name> (default `hospital-district`; `capacity-short`: the district short of bays, issue 17's
 * 1,600 cars into 946 bays, where lots fill and signs show FULL), --policy <name> (default the scenario's, below),
 * --from HH:MM --to HH:MM (default 07:00–11:00, the morning peak; a shorter window for development), --speed <x>
 * (default 30), --compliance <share>, --source (run the TypeScript sources instead of the build).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_TRAFFIC_PARAMS, loadTwinRun, type PlayablePlan, TrafficSimulation } from '@citybay/sim';
import { parseTwinLayout } from '../src/district/twin-layout.js';
import { DEFAULT_DISTRICT, startStack } from '../src/stack/start-stack.js';
import { REPO_ROOT } from '../src/stack/package-commands.js';
import { fieldSignsOf } from '../src/twin/field-signs.js';
import type { FaceLatencySummary, LatencySummary } from '../src/twin/loop-latency.js';
import { windowFigures, type WindowFigures } from '../src/twin/window-figures.js';

interface TwinResult {
  figures: WindowFigures;
  latency: { dueFaceToSign: FaceLatencySummary; sensorToSign: LatencySummary; directiveRoundTrip: LatencySummary };
  preAssigned: {
    byCentral: number;
    withoutReservation: number;
    reservationArrivedLater: number;
    differsFromPlan: number;
    ignoredPlan: number;
  };
  plan: PlayablePlan | null;
  appointmentOutcomes: Record<string, number>;
  reservationsSeen: number;
  signCheck: {
    samples: number;
    contradictory: number;
    fullOverFree: number;
    fullOverFreeWithinLatency: number;
    disagreeingWithinLatency: number;
    samplesWithFull: number;
    fullSamplesByLot: Record<string, number>;
    last: string | null;
  };
}

/**
 * The scenarios the bench runs: the district field (`scripts/district/*.yaml`, naming the simulator scenario) and the
 * policy both runs play — one with sign guidance and pre-assignment, since the loop is about both.
 */
const SCENARIOS: Record<string, { districtFile: string; policy: string }> = {
  'hospital-district': { districtFile: DEFAULT_DISTRICT, policy: 'combined' },
  'capacity-short': {
    districtFile: join(REPO_ROOT, 'scripts/district/hospital-district-capacity-short.yaml'),
    policy: 'pre-assigned-shifts-signs',
  },
};

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'hospital-district' },
    policy: { type: 'string' },
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
const scenario = SCENARIOS[values.scenario];
if (scenario === undefined) {
  console.error(`--scenario: unknown "${values.scenario}" (known: ${Object.keys(SCENARIOS).join(', ')})`);
  process.exit(2);
}
const policy = values.policy ?? scenario.policy;
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
console.log(
  `closed-loop bench: ${values.scenario} (policy ${policy}), window ${values.from}-${values.to} at ${speed}x, load average ${load()}`,
);
const startedMs = Date.now();
const stack = await startStack({
  dataDir,
  isFresh: true,
  port: 0,
  speed,
  from: values.from,
  to: values.to,
  policy,
  districtFile: scenario.districtFile,
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
// guidance settings, faces replanned every `signRefreshS`, 30 simulated s by default), playing the same plan —
// central's answers for the booked cars, as the twin played them — with no sensor, sync or write latency.
if (twin.plan === null) throw new Error('the twin played no plan from central (appointments not booked?)');
const layout = parseTwinLayout(readFileSync(join(dataDir, 'twin.json'), 'utf8'), 'twin.json');
const offlineFigures = (plan: PlayablePlan | undefined, signRefreshS?: number): WindowFigures => {
  const run = loadTwinRun(layout.scenarioPath, {
    policyName: policy,
    signs: fieldSignsOf(layout),
    ...(plan === undefined ? {} : { preAssignment: plan }),
    ...(compliance === undefined ? {} : { signCompliance: compliance }),
  });
  const simulation =
    signRefreshS === undefined
      ? run.simulation
      : new TrafficSimulation({ ...run.input, params: { ...run.input.params, signRefreshS } });
  simulation.stepWithOwnSigns(toS, layout.guidance);
  return windowFigures(simulation.output(), fromS, toS);
};
const offline = offlineFigures(twin.plan);
// The loop's latency, offline: faces replanned every twice the measured median loop latency (simulated s), so a face
// is on average as old as the closed loop's when a driver reads it (30 s, the default: 15 s on average).
const laggedRefreshS = Math.max(
  DEFAULT_TRAFFIC_PARAMS.signRefreshS,
  Math.round((2 * twin.latency.dueFaceToSign.medianMs * speed) / 1000),
);
const lagged = offlineFigures(twin.plan, laggedRefreshS);
// For scale, not compared: the same offline run playing the simulator's own allocation (all hospital-open lots, the
// network's drive times, the initial occupancy) instead of central's (the appointment site's lots only).
const ownPlan = offlineFigures(undefined);
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
console.log(
  `${row('offline/lag', lagged)}  (faces replanned every ${laggedRefreshS} s, as old on average as the loop's: closed-loop vs this ${pct(twin.figures.peakQueueM, lagged.peakQueueM).toFixed(1)}% / ${pct(twin.figures.p95QueueM, lagged.p95QueueM).toFixed(1)}% / ${pct(twin.figures.meanTimeToParkS, lagged.meanTimeToParkS).toFixed(1)}%)`,
);
console.log(row('offline/sim', ownPlan) + "  (the simulator's own plan instead of central's: for scale only)");
const lat = (name: string, l: LatencySummary) =>
  `  ${name}: median ${l.medianMs} ms (${((l.medianMs * speed) / 1000).toFixed(0)} simulated s), p95 ${l.p95Ms} ms (${((l.p95Ms * speed) / 1000).toFixed(0)} simulated s), n=${l.count}`;
console.log('\nmeasured loop latencies (real; ×' + speed + ' in simulated time):');
const face = twin.latency.dueFaceToSign;
console.log(
  `${lat('loop latency, what a driver sees: what a sign must show changes (bays, reservations) -> first write showing it', face)}; ${face.superseded} due faces replaced before shown, ${face.pending} still pending at the end`,
);
console.log(
  lat(
    'earlier measure, refresh writes included: bay set on a sensor -> next write of a sign showing its lot',
    twin.latency.sensorToSign,
  ),
);
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
  `pre-assigned drivers differing between the runs: ${twin.preAssigned.differsFromPlan} (set off without the plan's reservation, or holding another lot than the plan's); ${twin.preAssigned.ignoredPlan} held a reservation and ignored it, as the policy's plan compliance draws them in both runs`,
);
const check = twin.signCheck;
const fullByLot = Object.entries(check.fullSamplesByLot)
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([lotId, n]) => `${lotId} ${n}`)
  .join(', ');
console.log(
  `sign check: ${check.samples} samples, ${check.samplesWithFull} with a lot shown FULL (${fullByLot || 'none'}); ${check.contradictory} contradictory (${check.fullOverFree} FULL over >= the hysteresis of free public bays for longer than the p95 loop latency); ${check.fullOverFreeWithinLatency} more within that latency, not counted; signs disagreeing (FULL on one, bays free on another) only within that latency, as an edge rewrites them one by one: ${check.disagreeingWithinLatency}, not counted${check.last ? `; last: ${check.last}` : ''}`,
);
console.log(
  `load average: ${load()} now, ${loadAfterRun} after the live run; total ${((Date.now() - startedMs) / 1000).toFixed(0)} s`,
);
console.log(
  `closed-loop: peak-queue-diff-pct=${peakDiff.toFixed(1)} time-to-park-diff-pct=${parkDiff.toFixed(1)} contradictory-sign-samples=${twin.signCheck.contradictory}`,
);
process.exit(0);
