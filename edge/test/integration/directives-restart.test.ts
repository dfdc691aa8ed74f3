import { Writable } from 'node:stream';
import { createFakeDigitalIO } from '@citybay/firmware-bridge';
import { AreaStatus } from '@citybay/proto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkSiteData } from '../../src/config/load-site-config.js';
import type { SiteConfig } from '../../src/config/site-config.js';
import { type EdgeRuntime, runEdge } from '../../src/main.js';
import { CentralPeer, TEST_SECRET } from '../../src/testing/index.js';
import { tempDir } from '../support/temp-dir.js';

let dir: ReturnType<typeof tempDir>;
let peer: CentralPeer;
let config: SiteConfig;
const quiet = () => new Writable({ write: (_c, _e, done) => done() });
const start = () => runEdge(config, { digitalIO: createFakeDigitalIO(), shutdownFlushMs: 0, logDestination: quiet() });
const shown = (edge: EdgeRuntime) => edge.planned()[0]!.message.lines[0]!.value;

beforeAll(async () => {
  dir = tempDir();
  peer = new CentralPeer('shared-lot', 'edge-04', TEST_SECRET);
  await peer.up();
  const checked = checkSiteData(
    {
      site: { id: 'shared-lot' },
      edge: { id: 'edge-04' },
      configVersion: 'd-1',
      lots: [
        {
          id: 'P5',
          gateCounting: { capacity: 30, gates: [{ id: 'g', entries: { gpio: 'in' }, exits: { gpio: 'out' } }] },
        },
      ],
      signs: [{ id: 'vms-5', location: 'x', driver: { type: 'virtual' }, lines: [{ lot: 'P5', arrow: 'left' }] }],
      gpio: {
        inputs: [
          { id: 'in', line: 1 },
          { id: 'out', line: 2 },
        ],
      },
      central: { url: peer.url, secret: TEST_SECRET, syncIntervalMs: 100, backoffInitialMs: 50, backoffMaxMs: 200 },
      outbox: { path: `${dir.path}/outbox.db` },
      intervals: { planMs: 20, summaryMs: 100 },
      http: { port: 0 },
      logLevel: 'warn',
    },
    `${dir.path}/site.yaml`,
    { env: {} },
  );
  expect(checked.issues).toEqual([]);
  config = checked.config!;
});

afterAll(async () => {
  await peer.down();
  dir.remove();
});

describe('directives across a restart', () => {
  it("keeps central's override after a restart without central, and drops it when it expires", async () => {
    const untilMs = Date.now() + 4000;
    peer.directives = {
      siteId: 'shared-lot',
      version: 9,
      lotOverrides: [
        { lotId: 'P5', status: AreaStatus.AREA_STATUS_CLOSED, validFromMs: 1, validUntilMs: untilMs, reason: 'event' },
      ],
    };
    const first = await start();
    await vi.waitFor(() => expect(shown(first), 'CLOSED from central').toBe('CLOSED'), {
      timeout: 20_000,
      interval: 10,
    });
    await first.stop();
    await peer.down();
    const second = await start();
    try {
      expect(shown(second)).toBe('CLOSED');
      expect(second.sync.stats.directivesVersion).toBe(9);
      await vi.waitFor(() => expect(shown(second), 'the override to expire').toBe(30), {
        timeout: 10_000,
        interval: 10,
      });
      expect(Date.now()).toBeGreaterThanOrEqual(untilMs);
    } finally {
      await second.stop();
    }
  });
});
