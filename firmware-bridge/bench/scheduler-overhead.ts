/**
 * Scheduler overhead per request, in µs: the same FC2 read of 64 bits sent straight through the
 * TCP link and through the bus scheduler (queue, silence bookkeeping, counters, histogram), on an
 * unpaced TCP emulator in the same process. Also the scheduler with 32 requests queued at once.
 */
import { serveTcp } from '../src/emulators/emulator-tcp.js';
import { ModbusEmulator } from '../src/emulators/modbus-emulator.js';
import { createBusScheduler } from '../src/modbus/bus-scheduler.js';
import type { ModbusLink } from '../src/modbus/modbus-link.js';
import { createTcpLink } from '../src/modbus/modbus-link-tcp.js';
import { loadProfile } from '../src/profiles/load-profile.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 4000);
const ROUNDS = 5;

const profile = await loadProfile('bit-per-bay-64');
const unitIds = Array.from({ length: 32 }, (_, i) => i + 1);
const emulator = new ModbusEmulator({ profile, unitIds, recordLimit: 10 });
const server = await serveTcp(emulator);
const link = createTcpLink({ host: '127.0.0.1', port: server.port });
await link.open();
const scheduler = createBusScheduler({ link });

async function direct(): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < REQUESTS; i++) await link.readDiscreteInputs(unitIds[i % 32]!, 0, 64);
  return ((performance.now() - start) * 1000) / REQUESTS;
}

async function scheduled(): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < REQUESTS; i++) await scheduler.readBits(unitIds[i % 32]!, 'discrete', 0, 64);
  return ((performance.now() - start) * 1000) / REQUESTS;
}

async function queued(): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < REQUESTS; i += 32) {
    await Promise.all(unitIds.map((unit) => scheduler.readBits(unit, 'discrete', 0, 64)));
  }
  return ((performance.now() - start) * 1000) / (Math.ceil(REQUESTS / 32) * 32);
}

// Warm-up (JIT, sockets).
await direct();
await scheduled();
// Rounds alternate between the variants so that a neighbour's load spike hits both alike.
const times = { direct: [] as number[], scheduled: [] as number[], queued: [] as number[] };
for (let i = 0; i < ROUNDS; i++) {
  times.direct.push(await direct());
  times.scheduled.push(await scheduled());
  times.queued.push(await queued());
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const linkUs = median(times.direct);
const schedulerUs = median(times.scheduled);
const queuedUs = median(times.queued);
console.log(
  `scheduler overhead: ${REQUESTS} FC2 reads of 64 bits, unpaced TCP emulator in-process, median of ${ROUNDS} alternating rounds`,
);
console.log(
  `  link alone (reference):       ${linkUs.toFixed(1)} us/request  (rounds ${times.direct.map((t) => t.toFixed(0)).join(', ')})`,
);
console.log(
  `  through the bus scheduler:    ${schedulerUs.toFixed(1)} us/request  (rounds ${times.scheduled.map((t) => t.toFixed(0)).join(', ')})`,
);
console.log(
  `  overhead:                     ${(schedulerUs - linkUs).toFixed(1)} us/request (${((schedulerUs / linkUs - 1) * 100).toFixed(1)}% of the link's time)`,
);
console.log(`  scheduler, 32 queued at once: ${queuedUs.toFixed(1)} us/request`);

// The scheduler's own CPU cost, without any I/O: a link whose every read resolves at once.
const bitsReply = new Array<boolean>(64).fill(false);
const instant = {
  ...link,
  transport: 'tcp',
  lineTiming: undefined,
  state: 'open',
  readDiscreteInputs: async () => bitsReply,
} as unknown as ModbusLink;
const bare = createBusScheduler({ link: instant });
const bareRuns: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const start = performance.now();
  for (let i = 0; i < REQUESTS * 10; i++) await bare.readBits(unitIds[i % 32]!, 'discrete', 0, 64);
  bareRuns.push(((performance.now() - start) * 1000) / (REQUESTS * 10));
}
console.log(`  scheduler alone, instant link: ${median(bareRuns).toFixed(2)} us/request (its CPU cost without I/O)`);
console.log(`  for scale: one 64-bit poll on the wire takes 16000 us at 19200 baud, 5500 us at 115200`);
await scheduler.close();
await emulator.close();
