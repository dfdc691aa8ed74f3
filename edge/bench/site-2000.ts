/**
 * A 2,000-bay site on 32 emulated bay controllers (4 Modbus TCP buses × 8 units × 64 bays, in another
 * process) polled at 1 Hz, with a sign and a central peer: CPU % of one core and peak RSS of the edge
 * process alone (built JS, as deployed). Targets: ≤ 5 % CPU, ≤ 80 MB RSS.
 *   npm run bench:site -w @citybay/edge -- --duration 300
 * Reference in the same run: a bare Node process (its RSS is the floor) and the emulator process's CPU.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { CentralPeer, TEST_SECRET } from '../src/testing/index.js';
import { tempDir } from '../test/support/temp-dir.js';
import { cpuSeconds, flag, memoryMb } from './support/proc-stats.js';

const durationS = Number(flag('duration', '300'));
const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = tempDir('citybay-bench-');

execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b', join(root, 'edge')], {
  stdio: 'inherit',
});

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const newline = text.indexOf('\n');
      if (newline >= 0) resolve(text.slice(0, newline));
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before printing`)));
  });
}

const emulators = spawn(
  process.execPath,
  [
    '--conditions=@citybay/source',
    '--import',
    'tsx',
    fileURLToPath(new URL('support/emulator-process.ts', import.meta.url)),
    '4',
    '8',
    '20',
  ],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const { ports, signPort } = JSON.parse(await firstLine(emulators)) as { ports: number[]; signPort: number };
const peer = new CentralPeer('bench-site', 'edge-01', TEST_SECRET);
await peer.up();

const buses = ports.map((port, b) => ({
  id: `bus${b + 1}`,
  transport: 'tcp',
  host: '127.0.0.1',
  port,
  devices: Array.from({ length: 8 }, (_, u) => ({ id: `c${b * 8 + u + 1}`, profile: 'bit-per-bay-64', unitId: u + 1 })),
}));
// 2,000 bays: the first 2,000 of the 32 × 64 sensors, in 8 zones of 250 over 2 lots.
const zones = Array.from({ length: 8 }, (_, z) => {
  const bays = [];
  for (let i = z * 250; i < (z + 1) * 250;) {
    const device = Math.floor(i / 64);
    const deviceBay = i % 64;
    const count = Math.min(64 - deviceBay, (z + 1) * 250 - i);
    bays.push({
      prefix: `Z${z}-${device}-`,
      firstNumber: deviceBay,
      count,
      device: `c${device + 1}`,
      deviceBay,
      kind: i % 25 === 0 ? 'accessible' : 'standard',
    });
    i += count;
  }
  return { lot: z < 4 ? 'P1' : 'P2', zone: { id: `Z${z}`, bays } };
});
const site = {
  site: { id: 'bench-site' },
  edge: { id: 'edge-01' },
  configVersion: 'bench-1',
  buses: [...buses, { id: 'signbus', transport: 'tcp', host: '127.0.0.1', port: signPort, devices: [] }],
  lots: ['P1', 'P2'].map((id) => ({ id, zones: zones.filter((z) => z.lot === id).map((z) => z.zone) })),
  signs: [
    {
      id: 'vms-1',
      location: 'bench',
      driver: { type: 'modbus', bus: 'signbus', unitId: 10, profile: 'modbus-sign' },
      lines: [
        { label: 'P1', lot: 'P1', arrow: 'left' },
        { label: 'P2', lot: 'P2', arrow: 'right' },
      ],
    },
  ],
  central: { url: peer.url, secret: TEST_SECRET, syncIntervalMs: 5000 },
  outbox: { path: join(dir.path, 'outbox.db') },
  intervals: { debounceMs: 3000, summaryMs: 5000, snapshotEvery: 60 },
  http: { port: 0 },
  logLevel: 'warn',
};
writeFileSync(join(dir.path, 'site.yaml'), stringify(site));

// The V8 flags of the systemd unit's ExecStart (deploy/citybay-edge.service); `--node-flags ''` measures without.
const unitFlags = /^ExecStart=\S+\s+((?:--\S+\s+)*)/m
  .exec(readFileSync(join(root, 'edge/deploy/citybay-edge.service'), 'utf8'))![1]!
  .trim();
const nodeFlags = flag('node-flags', unitFlags).split(' ').filter(Boolean);
const edge = spawn(
  process.execPath,
  [...nodeFlags, join(root, 'edge/dist/cli/citybay-edge.js'), 'run', join(dir.path, 'site.yaml')],
  {
    stdio: ['ignore', 'inherit', 'inherit'],
  },
);
const bare = spawn(process.execPath, [...nodeFlags, '-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
const warmupS = Math.min(15, Math.max(3, durationS / 10));
await new Promise((resolve) => setTimeout(resolve, warmupS * 1000));
const edgeCpu0 = cpuSeconds(edge.pid!);
const emuCpu0 = cpuSeconds(emulators.pid!);
const t0 = performance.now();
await new Promise((resolve) => setTimeout(resolve, durationS * 1000));
const elapsedS = (performance.now() - t0) / 1000;
const edgeCpuPct = (100 * (cpuSeconds(edge.pid!) - edgeCpu0)) / elapsedS;
const emuCpuPct = (100 * (cpuSeconds(emulators.pid!) - emuCpu0)) / elapsedS;
const edgeMem = memoryMb(edge.pid!);
const bareMem = memoryMb(bare.pid!);
const summaries = peer.ackedSeq;

edge.kill('SIGTERM');
const [code] = (await once(edge, 'exit')) as [number | null];
bare.kill();
emulators.kill();
await peer.down();
if (flag('keep', '') === '') dir.remove();
else console.log(`kept ${dir.path}`);

console.log(
  `site-2000: 2,000 bays on 32 emulated controllers at 1 Hz, ${elapsedS.toFixed(0)} s measured after ${warmupS} s warm-up, node ${process.version} ${nodeFlags.join(' ')}`,
);
console.log(
  `  edge CPU          ${edgeCpuPct.toFixed(2)} % of one core   (target ≤ 5 %: ${(edgeCpuPct / 5).toFixed(2)} of it)`,
);
console.log(
  `  edge peak RSS     ${edgeMem.peakRssMb.toFixed(1)} MB            (target ≤ 80 MB: ${(edgeMem.peakRssMb / 80).toFixed(2)} of it)`,
);
console.log(
  `  reference: bare Node process RSS ${bareMem.peakRssMb.toFixed(1)} MB (edge/bare ${(edgeMem.peakRssMb / bareMem.peakRssMb).toFixed(2)}); emulator process CPU ${emuCpuPct.toFixed(2)} % (edge/emulators ${(edgeCpuPct / emuCpuPct).toFixed(2)})`,
);
console.log(`  summaries acknowledged by central: ${summaries}; edge exit code after SIGTERM: ${code}`);
