/**
 * Bay change in the emulator → new content on the (emulated Modbus) sign: p50 and p99 latency over
 * Modbus TCP, with the real poller, guidance and sign writer. Target: p99 ≤ one poll interval + 50 ms.
 *   npm run bench:latency -w @citybay/edge -- --poll-ms 1000 --samples 100
 * Reference in the same run: the Modbus TCP round trip of one read on the same emulator.
 */
import { Writable } from 'node:stream';
import { createTcpLink, loadProfile, ModbusEmulator, serveTcp } from '@citybay/firmware-bridge';
import { checkSiteData } from '../src/config/load-site-config.js';
import { runEdge } from '../src/main.js';
import { signValues, startEmulatedSite } from '../test/support/emulated-site.js';
import { tempDir } from '../test/support/temp-dir.js';
import { flag, percentile } from './support/proc-stats.js';

const pollMs = Number(flag('poll-ms', '1000'));
const samples = Number(flag('samples', '60'));
const dir = tempDir('citybay-bench-');
const site = await startEmulatedSite({ dir: dir.path, pollIntervalMs: pollMs, summaryMs: 5000 });
const { config } = checkSiteData(site.file, `${dir.path}/site.yaml`, { env: {} });
const edge = await runEdge(config!, { logDestination: new Writable({ write: (_c, _e, done) => done() }) });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(predicate: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(1);
  }
}

await until(() => typeof signValues(site.sign)[0] === 'number', 10_000).catch((err: unknown) => {
  console.error('sign shows', signValues(site.sign), edge.planned()[0]?.message, edge.state.deviceStatuses());
  throw err;
});
const latenciesMs: number[] = [];
let fallbacksSeen = 0;
const occupied: boolean[] = Array.from({ length: 16 }, () => false);
for (let i = 0; i < samples; i++) {
  // Land the change at a random phase of the poll cycle.
  await sleep(Math.random() * pollMs);
  if (typeof signValues(site.sign)[0] !== 'number') {
    // The line is on its fail-safe (a poll came later than two cycles on this shared machine): wait it out.
    fallbacksSeen++;
    await until(() => typeof signValues(site.sign)[0] === 'number', 30_000);
  }
  const before = signValues(site.sign)[0] as number;
  const shownBefore = site.sign.shown.length;
  const bay = Math.floor(i / 2) % 16;
  const isOccupied = !occupied[bay];
  occupied[bay] = isOccupied;
  const t0 = Date.now();
  site.sensors.setBay(1, bay, isOccupied);
  const expected = before + (isOccupied ? -1 : 1);
  await until(
    () => site.sign.shown.slice(shownBefore).some((s) => s.message?.lines[0]?.value === expected),
    30_000,
  ).catch((err: unknown) => {
    console.error({
      i,
      before,
      expected,
      now: signValues(site.sign),
      planned: edge.planned()[0]?.message.lines.map((l) => l.value),
      shown: site.sign.shown.slice(shownBefore).map((s) => s.message?.lines.map((l) => l.value)),
      states: [...edge.state.bayStates().slice(0, 16)],
    });
    throw err;
  });
  const shown = site.sign.shown.slice(shownBefore).find((s) => s.message?.lines[0]?.value === expected)!;
  latenciesMs.push(shown.atMs - t0);
}
await edge.stop();

// Reference: one Modbus TCP read round trip against a fresh emulator.
const emulator = new ModbusEmulator({ profile: await loadProfile('bit-per-bay-64'), unitIds: [1] });
const server = await serveTcp(emulator);
const link = createTcpLink({ host: '127.0.0.1', port: server.port });
await link.open();
const rttMs: number[] = [];
for (let i = 0; i < 200; i++) {
  const t = performance.now();
  await link.readDiscreteInputs(1, 0, 64);
  rttMs.push(performance.now() - t);
}
await link.close();
await server.close();
await site.close();
dir.remove();

const sorted = latenciesMs.sort((a, b) => a - b);
const rtt = percentile(
  rttMs.sort((a, b) => a - b),
  50,
);
const p50 = percentile(sorted, 50);
const p99 = percentile(sorted, 99);
const targetMs = pollMs + 50;
console.log(
  `sign-latency: bay change in the emulator → new count on the emulated Modbus sign, ${samples} samples, poll ${pollMs} ms (Modbus TCP)`,
);
console.log(
  `  p50 ${p50.toFixed(0)} ms   p99 ${p99.toFixed(0)} ms   max ${sorted.at(-1)!.toFixed(0)} ms   (target p99 ≤ ${targetMs} ms: ${(p99 / targetMs).toFixed(2)} of it)`,
);
console.log(
  `  the line was on its fail-safe before ${fallbacksSeen} of ${samples} samples (late polls on a loaded machine)`,
);
console.log(
  `  reference: Modbus TCP read round trip p50 ${rtt.toFixed(2)} ms; expected p50 ≈ half a poll + round trips = ${(pollMs / 2 + 2 * rtt).toFixed(0)} ms (measured/expected ${(p50 / (pollMs / 2 + 2 * rtt)).toFixed(2)})`,
);
