import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigSumoNet } from '../helpers/big-sumo-net.js';
import { type LoopBlocking, watchLoopBlocking } from '../helpers/loop-blocking.js';
import { engineer, LOTS, NETWORK, SCENARIO } from '../helpers/small-district.js';
import { makeTestApp, type TestApp } from '../helpers/test-app.js';

// Issue 14: a scenario's network is parsed on a worker thread, so a city's multi-MB SUMO net does not hold the
// event loop (it held it for ~1-2 s). Over a real socket: /healthz keeps answering while the upload is parsed.
const BIG_NET = bigSumoNet(3.5 * 1024 * 1024);
const BLOCK_BOUND_MS = 100;

let t: TestApp;
let base: string;

beforeAll(async () => {
  t = await makeTestApp();
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = t.app.server.address() as { port: number };
  base = `http://127.0.0.1:${port}`;
});
afterAll(() => t.close());

function submit(files: Record<string, string>, network: string) {
  return fetch(`${base}/v1/scenarios`, {
    method: 'POST',
    headers: { ...engineer, 'content-type': 'application/json' },
    body: JSON.stringify({ scenario: { ...SCENARIO, network, period: { from: '07:00', to: '07:05' } }, files }),
  });
}

describe('scenario uploads are parsed off the event loop', () => {
  it('answers /healthz throughout a 3.5 MB SUMO network upload, and takes it gzipped as base64', async () => {
    // The parsing thread starts with the first submission (and compiles the parsers once): not what is measured.
    const warm = await submit({ 'network.yaml': NETWORK, 'lots.yaml': LOTS }, 'network.yaml');
    expect(warm.status, await warm.text()).toBe(202);

    const loop: LoopBlocking = watchLoopBlocking();
    let healthzAnswers = 0;
    let isUploading = true;
    const upload = submit({ 'city.net.xml': BIG_NET, 'lots.yaml': LOTS }, 'city.net.xml').finally(() => {
      isUploading = false;
    });
    const probes = (async () => {
      while (isUploading) {
        const res = await fetch(`${base}/healthz`);
        if (res.status === 200) healthzAnswers += 1;
        await res.arrayBuffer();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const res = await upload;
    await probes;
    const watched = loop.finish();
    const body = (await res.json()) as { status: string; runs: unknown[] };
    console.log(
      `3.5 MB network upload: loop blocked at most ${watched.maxBlockedMs.toFixed(1)} ms ` +
        `(wall max ${watched.wallMaxMs.toFixed(1)} ms), /healthz answered ${healthzAnswers} times meanwhile`,
    );
    expect(res.status, JSON.stringify(body)).toBe(202);
    expect(watched.maxBlockedMs).toBeLessThan(BLOCK_BOUND_MS);
    expect(healthzAnswers).toBeGreaterThanOrEqual(3);

    const gz = gzipSync(BIG_NET).toString('base64');
    const zipped = await submit({ 'city.net.xml.gz': gz, 'lots.yaml': LOTS }, 'city.net.xml.gz');
    expect(zipped.status, await zipped.text()).toBe(202);
  }, 120_000);

  it('refuses a .gz file that is not base64 of gzip data, naming it', async () => {
    for (const sent of ['not base64!', Buffer.from('plain text').toString('base64')]) {
      const res = await submit({ 'city.net.xml.gz': sent, 'lots.yaml': LOTS }, 'city.net.xml.gz');
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: 'CB_HTTP_BAD_REQUEST', path: 'body.files.city.net.xml.gz' });
    }
  });
});
