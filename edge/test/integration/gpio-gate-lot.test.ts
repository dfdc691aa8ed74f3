import { Writable } from 'node:stream';
import { createFakeDigitalIO, type DigitalInput, type DigitalIO } from '@citybay/firmware-bridge';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkSiteData } from '../../src/config/load-site-config.js';
import type { SiteFile } from '../../src/config/site-config-schema.js';
import { type EdgeRuntime, runEdge } from '../../src/main.js';
import { CentralPeer, TEST_SECRET } from '../../src/testing/index.js';
import { tempDir } from '../support/temp-dir.js';

const io = createFakeDigitalIO();
// The inputs the edge opens, so that the test can wait on their debounced level instead of sleeping.
const opened = new Map<number, DigitalInput>();
const watchedIO: DigitalIO = {
  backend: io.backend,
  openInput: async (options) => {
    const input = await io.openInput(options);
    opened.set(options.line, input);
    return input;
  },
  openOutput: (options) => io.openOutput(options),
  kickWatchdog: () => io.kickWatchdog(),
  close: () => io.close(),
};
let dir: ReturnType<typeof tempDir>;
let peer: CentralPeer;
let edge: EdgeRuntime;

const totals = () => edge.state.gateTotals()[0]!;

/** A car over the loop: the line is held low (active-low relay) until the edge counted it, then released. */
async function pulse(line: number): Promise<void> {
  const which = line === 17 ? 'entriesTotal' : 'exitsTotal';
  const before = totals()[which];
  io.setLevel(line, 0);
  await vi.waitFor(() => expect(totals()[which], `loop ${line} counted`).toBe(before + 1), {
    timeout: 20_000,
    interval: 10,
  });
  io.setLevel(line, 1);
  const input = opened.get(line)!;
  await vi.waitFor(async () => expect(await input.read(), `loop ${line} released`).toBe(0), {
    timeout: 20_000,
    interval: 10,
  });
}

beforeAll(async () => {
  dir = tempDir();
  peer = new CentralPeer('shared-lot', 'edge-02', TEST_SECRET);
  await peer.up();
  const file: SiteFile = {
    site: { id: 'shared-lot' },
    edge: { id: 'edge-02' },
    configVersion: 'gpio-1',
    lots: [
      {
        id: 'P3',
        gateCounting: {
          capacity: 5,
          gates: [{ id: 'lane', entries: { gpio: 'loop-in' }, exits: { gpio: 'loop-out' } }],
        },
      },
    ],
    signs: [{ id: 'vms-3', location: 'lane', driver: { type: 'virtual' }, lines: [{ lot: 'P3', arrow: 'ahead' }] }],
    gpio: {
      inputs: [
        { id: 'loop-in', line: 17, debounceMs: 2, isActiveLow: true },
        { id: 'loop-out', line: 27, debounceMs: 2, isActiveLow: true },
      ],
      outputs: [{ id: 'relay', line: 23, role: 'fault-relay' }],
      watchdogKickMs: 100,
    },
    central: { url: peer.url, secret: TEST_SECRET, syncIntervalMs: 100 },
    outbox: { path: `${dir.path}/outbox.db` },
    intervals: { summaryMs: 100, planMs: 20 },
    guidance: { fullAtFree: 0, reopenAtFree: 2 },
    http: { port: 0 },
    logLevel: 'warn',
  };
  const { config, issues } = checkSiteData(file, `${dir.path}/site.yaml`, { env: {} });
  expect(issues).toEqual([]);
  edge = await runEdge(config!, {
    digitalIO: watchedIO,
    logDestination: new Writable({ write: (_c, _e, done) => done() }),
  });
});

afterAll(async () => {
  await edge?.stop();
  await peer.down();
  dir.remove();
});

const shown = () => edge.planned()[0]!.message.lines[0]!.value;

describe('gate-counted lot on GPIO loop detectors', () => {
  it('counts entries and exits into the sign, shows FULL with hysteresis, and reports gate totals to central', async () => {
    await vi.waitFor(() => expect(shown(), 'P3 to show 5 free').toBe(5), { timeout: 20_000, interval: 10 });
    await pulse(17);
    await pulse(17);
    await vi.waitFor(() => expect(shown(), 'two entries → 3 free').toBe(3), { timeout: 20_000, interval: 10 });
    for (let i = 0; i < 3; i++) await pulse(17);
    await vi.waitFor(() => expect(shown(), 'five entries → FULL').toBe('FULL'), { timeout: 20_000, interval: 10 });
    await pulse(27);
    await new Promise((resolve) => setTimeout(resolve, 100)); // several plan ticks at 1 free: still FULL
    expect(shown()).toBe('FULL');
    await pulse(27);
    await vi.waitFor(() => expect(shown(), 'two exits → 2 free again').toBe(2), { timeout: 20_000, interval: 10 });
    await peer.waitFor(() =>
      [...peer.stored.values()].some((s) => s.gates?.some((g) => g.entriesTotal === 5 && g.exitsTotal === 2)),
    );
    expect(io.watchdogKicks).toBeGreaterThan(0);
    expect(io.outputLevel(23)).toBe(0);
  });

  it('takes an operator count over the local HTTP endpoint', async () => {
    const response = await fetch(`http://127.0.0.1:${edge.httpPort}/lots/P3/occupancy`, {
      method: 'POST',
      body: JSON.stringify({ occupied: 1 }),
    });
    expect(response.status).toBe(200);
    await vi.waitFor(() => expect(shown(), 'operator count → 4 free').toBe(4), { timeout: 20_000, interval: 10 });
  });
});
