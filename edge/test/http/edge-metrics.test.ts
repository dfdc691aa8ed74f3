import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkSiteData } from '../../src/config/load-site-config.js';
import { type EdgeRuntime, runEdge } from '../../src/main.js';
import { type EmulatedSite, startEmulatedSite } from '../support/emulated-site.js';
import { tempDir } from '../support/temp-dir.js';

/** Prometheus' own linter on an exposition: '' when it has nothing to say. */
function promtool(exposition: string): string {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
  if (result.error) throw result.error;
  return `${result.stdout}${result.stderr}`.trim();
}

let dir: ReturnType<typeof tempDir>;
let site: EmulatedSite;
let edge: EdgeRuntime;
let metrics: string;

beforeAll(async () => {
  dir = tempDir();
  site = await startEmulatedSite({ dir: dir.path, pollIntervalMs: 200 });
  const { config, issues } = checkSiteData(site.file, `${dir.path}/site.yaml`, { env: {} });
  expect(issues).toEqual([]);
  edge = await runEdge(config!, { logDestination: new Writable({ write: (_c, _e, done) => done() }) });
  // Scrape once every kind of metric has samples: polls, a sign write and a sync with central.
  await vi.waitFor(
    () => expect(edge.sync.stats.requests > 0 && site.peer.ackedSeq > 0, 'a sync with central').toBe(true),
    { timeout: 20_000, interval: 10 },
  );
  const res = await fetch(`http://127.0.0.1:${edge.httpPort}/metrics`);
  expect(res.status).toBe(200);
  metrics = await res.text();
});

afterAll(async () => {
  await edge?.stop();
  await site?.close();
  dir?.remove();
});

describe("the edge's /metrics", () => {
  it('passes promtool check metrics', () => {
    expect(metrics).toMatch(/^citybay_edge_poll_requests_total\{device="ctrl-1"\} [1-9]/m);
    expect(metrics).toMatch(/^citybay_edge_sign_writes_total\{/m);
    expect(promtool(metrics)).toBe('');
  });

  it('has _total only on counters and the totals it copies from the poller as counters', () => {
    const types = new Map([...metrics.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
    for (const [name, type] of types) expect(name.endsWith('_total'), `${name} (${type})`).toBe(type === 'counter');
    for (const name of ['poll_requests', 'poll_timeouts', 'poll_crc_errors', 'sync_requests', 'sync_failures']) {
      expect(types.get(`citybay_edge_${name}_total`)).toBe('counter');
    }
    expect(types.get('citybay_edge_outbox_summaries')).toBe('gauge');
    expect(types.get('citybay_edge_sign_write_duration_seconds')).toBe('histogram');
  });

  it("serves Node.js's standard process metrics under their standard names", () => {
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes']) {
      expect(metrics).toMatch(new RegExp(`^${name} `, 'm'));
    }
    expect(metrics).toMatch(/^nodejs_eventloop_lag_seconds /m);
    expect(metrics).not.toMatch(/^citybay_edge_(process|nodejs)_/m);
  });

  it('the check is real: promtool flags a gauge named _total', () => {
    const bad = '# HELP x_total a gauge\n# TYPE x_total gauge\nx_total 1\n';
    expect(promtool(bad)).toMatch(/non-counter metrics should not have "_total" suffix/);
  });
});
