import { FUZZ_RUNS, FUZZ_TIMEOUT_MS } from '@citybay/common/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { heapAfterGcBytes } from '../helpers/appointment-fuzz.js';
import { engineer, LOTS, NETWORK, SCENARIO } from '../helpers/small-district.js';
import { type LoopBlocking, watchLoopBlocking } from '../helpers/loop-blocking.js';
import { OPERATOR_KEY, makeTestApp, type TestApp } from '../helpers/test-app.js';

const HEAP_GROWTH_BOUND_BYTES = 64 * 1024 * 1024;
const BLOCK_BOUND_MS = 100;

/** A 60 KB scenario of chained anchors: each alias refers to the one before (took 15–18 s in central before). */
function anchorBomb(bytes: number): string {
  let text = 'a0: &a0 [x, x, x, x, x, x, x, x, x]\n';
  for (let i = 1; text.length < bytes; i++) text += `a${i}: &a${i} [*a${i - 1}, *a${i - 1}, *a${i - 1}]\n`;
  return text;
}

/** Scenario texts and objects: the district's, mutated field by field, YAML bombs and junk. */
const json = fc.jsonValue({ maxDepth: 3 });
const scenarioInput = fc.oneof(
  // One field of the district's scenario replaced (or a new one added) with any JSON value, as object or YAML text.
  fc.tuple(fc.constantFrom(...Object.keys(SCENARIO), 'extra'), json, fc.boolean()).map(([key, value, asText]) => {
    const mutated = { ...SCENARIO, [key]: value };
    return asText ? stringify(mutated) : mutated;
  }),
  fc.integer({ min: 1_000, max: 120_000 }).map(anchorBomb),
  fc.string({ maxLength: 2_000 }),
  fc.constantFrom('', '{', '[]', 'null', '*a', '&a x', '%YAML 9.9\n---\n', '!!binary AAAA', 'a: !!js/function x'),
  json,
);
const files = fc.oneof(
  fc.constant({ 'network.yaml': NETWORK, 'lots.yaml': LOTS }),
  fc.dictionary(
    fc.constantFrom('network.yaml', 'lots.yaml', 'x'),
    fc.oneof(fc.string(), fc.constant(anchorBomb(60_000))),
  ),
);

let t: TestApp;
let loop: LoopBlocking | undefined;
const statuses = new Map<number, number>();
let heapBefore = 0;

beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(async () => {
  loop?.finish();
  await t.close();
});

async function jobCount(): Promise<number> {
  return (await t.app.inject({ method: 'GET', url: '/v1/scenarios', headers: engineer })).json().jobs.length;
}

describe('scenario and what-if fuzz', () => {
  it('refuses a 60 KB anchor bomb at once with 400 naming the problem', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/scenarios',
      headers: engineer,
      payload: { scenario: anchorBomb(60_000), files: {} },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'CB_SCENARIO_INVALID', path: '(root)' });
    expect(res.json().message).toMatch(/anchors and aliases/);
    // Watched from here on: the first requests compiled the routes' schemas and warmed the parsers up once, work
    // that no input repeats.
    heapBefore = heapAfterGcBytes();
    loop = watchLoopBlocking();
  });

  it(
    `survives ${FUZZ_RUNS} mutated scenarios (POST /v1/scenarios): no 5xx, no job from a refused one`,
    async () => {
      await fc.assert(
        fc.asyncProperty(scenarioInput, files, async (scenario, submitted) => {
          const before = await jobCount();
          const res = await t.app.inject({
            method: 'POST',
            url: '/v1/scenarios',
            headers: engineer,
            payload: { scenario, files: submitted, sweep: { seeds: [1] } } as object,
          });
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(500);
          if (res.statusCode >= 400) {
            expect(res.json().code).toMatch(/^CB_[A-Z]+_[A-Z_]+$/);
            expect(await jobCount()).toBe(before);
          }
        }),
        { numRuns: FUZZ_RUNS },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    `survives ${FUZZ_RUNS} mutated what-if bundles (PUT /v1/dashboard/scenarios/:id): no 5xx, nothing stored when refused`,
    async () => {
      await fc.assert(
        fc.asyncProperty(scenarioInput, files, json, async (scenario, submitted, extra) => {
          const before = await t.store.listWhatIfScenarios();
          const bundle = { id: 'fuzz', name: 'Fuzz', policies: ['baseline'], scenario, files: submitted };
          const res = await t.app.inject({
            method: 'PUT',
            url: '/v1/dashboard/scenarios/fuzz',
            headers: { authorization: `Bearer ${OPERATOR_KEY}` },
            payload: (typeof extra === 'object' && extra !== null && !Array.isArray(extra)
              ? { ...bundle, ...extra }
              : bundle) as object,
          });
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(500);
          if (res.statusCode >= 400) expect(await t.store.listWhatIfScenarios()).toEqual(before);
        }),
        { numRuns: FUZZ_RUNS },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it('kept memory bounded and never blocked the event loop', () => {
    const watched = loop!.finish();
    loop = undefined;
    const heapGrowthBytes = heapAfterGcBytes() - heapBefore;
    console.log(
      `scenario fuzz: statuses ${JSON.stringify([...statuses])}, loop blocked at most ${watched.maxBlockedMs.toFixed(1)} ms ` +
        `(wall p99 ${watched.wallP99Ms.toFixed(1)} ms, max ${watched.wallMaxMs.toFixed(1)} ms), heap growth ${(heapGrowthBytes / 1e6).toFixed(1)} MB`,
    );
    expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
    expect(watched.maxBlockedMs).toBeLessThan(BLOCK_BOUND_MS);
    expect(heapGrowthBytes).toBeLessThan(HEAP_GROWTH_BOUND_BYTES);
  });
});
