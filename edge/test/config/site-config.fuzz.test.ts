/**
 * Fuzz of the files an installer writes: site files and device profiles, through the loader and through
 * `citybay-edge check`. Seeds are the shipped example and the test sites; mutations set any field to a
 * hostile value (huge counts, wrong types, deep nesting), drop or repeat entries, and edit the YAML text
 * (aliases, anchors, merge keys, broken syntax). The loader answers with issues naming a path, or the
 * config; it never throws anything but CB_CONFIG_INVALID / CB_PROFILE_INVALID, never computes more than
 * 100 ms for one file, and keeps the heap bounded. A file over 100 ms is read again (the calls are pure): the
 * edited-YAML suite once measured ~105 ms on one call beside another suite, which no input repeated (the slowest
 * inputs re-run take 4-10 ms; alone and beside the appointments fuzz the slowest call measured 7-10 ms).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isCitybayError } from '@citybay/common';
import { FUZZ_RUNS, FUZZ_TIMEOUT_MS, type FuzzReport, MAX_CALL_CPU_MS, watchFuzz } from '@citybay/common/testing';
import { BUILTIN_PROFILE_DIR, builtinProfileNames, parseProfile } from '@citybay/firmware-bridge';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { checkSiteData, loadSiteConfig, MAX_ISSUES } from '../../src/config/load-site-config.js';
import { smallSite } from '../support/site-fixtures.js';
import { tempDir } from '../support/temp-dir.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
const CLI_BUILT = fileURLToPath(new URL('../../dist/cli/citybay-edge.js', import.meta.url));
// The built CLI when there is one (npm test builds first): a process per file starts faster without tsx.
const CLI_ARGS = existsSync(CLI_BUILT)
  ? [CLI_BUILT]
  : [
      '--conditions=@citybay/source',
      '--import',
      'tsx',
      fileURLToPath(new URL('../../src/cli/citybay-edge.ts', import.meta.url)),
    ];
const EXAMPLE_TEXT = readFileSync(join(EXAMPLES, 'site.yaml'), 'utf8');
const SEEDS: unknown[] = [parse(EXAMPLE_TEXT), smallSite()];

type Path = (string | number)[];

/** Every place in `value` a mutation can reach: the paths of all maps, lists and their members. */
function pathsOf(value: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...at, i], out));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) pathsOf(v, [...at, k], out);
  }
  return out;
}

const HOSTILE: unknown[] = [
  100_000_000,
  -1,
  0,
  1.5,
  2 ** 53,
  Number.MAX_VALUE,
  '',
  'x'.repeat(10_000),
  'edge 01',
  '../../../../etc/passwd',
  '/dev/zero',
  null,
  true,
  [],
  {},
  [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],
  { prefix: 'A', count: 4096 },
  Array.from({ length: 5000 }, (_, i) => ({ id: `B${i}` })),
];

/** Applies one structural mutation to a copy of `seed`. */
function mutate(seed: unknown, pick: number, how: number, value: unknown): unknown {
  const copy = structuredClone(seed) as Record<string, unknown>;
  const paths = pathsOf(copy).filter((p) => p.length > 0);
  const path = paths[pick % paths.length]!;
  const parent = path.slice(0, -1).reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], copy) as
    Record<string | number, unknown> | unknown[];
  const key = path.at(-1)!;
  if (how === 0) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete (parent as Record<string, unknown>)[key];
  } else if (how === 1 && Array.isArray(parent)) {
    parent.push(structuredClone(parent[key as number]));
  } else {
    (parent as Record<string | number, unknown>)[key] = value;
  }
  return copy;
}

/** Edits the YAML text: characters, aliases, anchors, merge keys. */
function editText(text: string, at: number, how: number, insert: string): string {
  const i = at % Math.max(1, text.length);
  const snippets = ['*a', '&a ', '<<: *a\n', ': [', '{', '\t', '\n  - ', ': *nowhere', '- &l [*l]\n', '"\\u0000"'];
  switch (how) {
    case 0:
      return text.slice(0, i) + text.slice(i + 1 + (at % 20));
    case 1:
      return text.slice(0, i) + insert + text.slice(i);
    default:
      return text.slice(0, i) + snippets[how % snippets.length]! + text.slice(i);
  }
}

/** The figures of a run, and any call that was over the budget at first (each is measured again: callRepeatable). */
function logReport(name: string | undefined, report: FuzzReport): void {
  const again = report.remeasured.map((r) => `${r.firstCpuMs.toFixed(1)} -> ${r.leastCpuMs.toFixed(1)} ms`);
  console.log(
    `${name ?? 'site fuzz'}: slowest call ${report.maxCallCpuMs.toFixed(1)} ms of loop-thread CPU` +
      (again.length === 0 ? '' : `; over the budget at first, measured again: ${again.join(', ')}`),
  );
}

function expectIssuesOrConfig(result: ReturnType<typeof checkSiteData>): void {
  if (result.config !== undefined) return;
  expect(result.issues.length).toBeGreaterThan(0);
  expect(result.issues.length).toBeLessThanOrEqual(MAX_ISSUES);
  for (const issue of result.issues) {
    expect(typeof issue.path).toBe('string');
    expect(issue.message.length).toBeGreaterThan(0);
  }
}

let dir: ReturnType<typeof tempDir>;
beforeAll(() => {
  dir = tempDir();
  writeFileSync(join(dir.path, 'example.secret'), readFileSync(join(EXAMPLES, 'example.secret')));
  // Warm-up: the first check loads modules and the shipped profiles; the budget is for every check after it.
  for (const seed of SEEDS) checkSiteData(seed, join(dir.path, 'site.yaml'), { env: {} });
});
afterAll(() => dir.remove());

describe('site file and device profile fuzz', () => {
  it(
    `${FUZZ_RUNS} mutated site files (data): issues with paths or a config, never a crash, bounded`,
    async () => {
      const watch = watchFuzz();
      const source = join(dir.path, 'site.yaml');
      await fc.assert(
        fc.asyncProperty(
          fc.nat({ max: SEEDS.length - 1 }),
          fc.array(
            fc.tuple(
              fc.nat(),
              fc.nat({ max: 4 }),
              fc.oneof(fc.constantFrom(...HOSTILE), fc.jsonValue({ maxDepth: 3 })),
            ),
            {
              minLength: 1,
              maxLength: 3,
            },
          ),
          async (seedIndex, edits) => {
            const data = edits.reduce<unknown>(
              (d, [pick, how, value]) => mutate(d, pick, how, value),
              SEEDS[seedIndex]!,
            );
            const result = await watch.callRepeatable(() => checkSiteData(data, source, { env: {} }));
            expectIssuesOrConfig(result);
          },
        ),
        { numRuns: FUZZ_RUNS, seed: 1411 },
      );
      const report = watch.finish();
      logReport(expect.getState().currentTestName, report);
      expect(report.maxCallCpuMs).toBeLessThan(MAX_CALL_CPU_MS);
      expect(report.heapGrowthBytes).toBeLessThan(16 * 1024 * 1024);
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    `${FUZZ_RUNS} edited site files (YAML text, aliases): loadSiteConfig throws only CB_CONFIG_INVALID`,
    async () => {
      const watch = watchFuzz();
      const source = join(dir.path, 'site.yaml');
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.nat(), fc.nat({ max: 11 }), fc.string({ maxLength: 12 })), {
            minLength: 1,
            maxLength: 4,
          }),
          async (edits) => {
            writeFileSync(
              source,
              edits.reduce((t, [at, how, insert]) => editText(t, at, how, insert), EXAMPLE_TEXT),
            );
            await watch.callRepeatable(() => {
              try {
                loadSiteConfig(source, { env: {} });
              } catch (err) {
                expect(isCitybayError(err, 'CB_CONFIG_INVALID'), String(err)).toBe(true);
              }
            });
          },
        ),
        { numRuns: FUZZ_RUNS, seed: 1412 },
      );
      const report = watch.finish();
      logReport(expect.getState().currentTestName, report);
      expect(report.maxCallCpuMs).toBeLessThan(MAX_CALL_CPU_MS);
      expect(report.heapGrowthBytes).toBeLessThan(16 * 1024 * 1024);
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    `${FUZZ_RUNS} mutated device profiles: CB_PROFILE_INVALID or a profile, alone and through a site file`,
    async () => {
      const shipped = builtinProfileNames().map((name) => {
        const file = join(BUILTIN_PROFILE_DIR, `${name}.yaml`);
        return { name, text: readFileSync(file, 'utf8'), data: parse(readFileSync(file, 'utf8')) as unknown };
      });
      const watch = watchFuzz();
      const site = smallSite();
      site.profiles = ['mine.yaml'];
      site.buses![0]!.devices[0]!.profile = 'mine';
      await fc.assert(
        fc.asyncProperty(
          fc.nat({ max: shipped.length - 1 }),
          fc.boolean(),
          fc.tuple(fc.nat(), fc.nat({ max: 4 }), fc.oneof(fc.constantFrom(...HOSTILE), fc.jsonValue({ maxDepth: 2 }))),
          fc.tuple(fc.nat(), fc.nat({ max: 11 }), fc.string({ maxLength: 8 })),
          async (which, isText, [pick, how, value], [at, edit, insert]) => {
            const seed = shipped[which]!;
            const text = isText
              ? editText(seed.text.replace(/^name: .*$/m, 'name: mine'), at, edit, insert)
              : stringify(mutate({ ...(seed.data as object), name: 'mine' }, pick, how, value));
            await watch.callRepeatable(() => {
              try {
                parseProfile(text, 'mine.yaml');
              } catch (err) {
                expect(isCitybayError(err, 'CB_PROFILE_INVALID'), String(err)).toBe(true);
              }
            });
            writeFileSync(join(dir.path, 'mine.yaml'), text);
            expectIssuesOrConfig(
              await watch.callRepeatable(() => checkSiteData(site, join(dir.path, 'site.yaml'), { env: {} })),
            );
          },
        ),
        { numRuns: FUZZ_RUNS, seed: 1413 },
      );
      const report = watch.finish();
      logReport(expect.getState().currentTestName, report);
      expect(report.maxCallCpuMs).toBeLessThan(MAX_CALL_CPU_MS);
      expect(report.heapGrowthBytes).toBeLessThan(16 * 1024 * 1024);
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'citybay-edge check on mutated files: exit 0 or 1 with the file named, never a stack trace',
    () => {
      // A process per file: a sample, not FUZZ_RUNS of them (the loader itself is fuzzed above).
      const runs = Math.max(5, Math.min(100, Math.round(FUZZ_RUNS / 200)));
      const samples = fc.sample(
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 11 }), fc.string({ maxLength: 12 })), { minLength: 1, maxLength: 4 }),
        { numRuns: runs, seed: 1414 },
      );
      const file = join(dir.path, 'cli-site.yaml');
      for (const edits of samples) {
        writeFileSync(
          file,
          edits.reduce((t, [at, how, insert]) => editText(t, at, how, insert), EXAMPLE_TEXT),
        );
        const result = spawnSync(process.execPath, [...CLI_ARGS, 'check', file], {
          encoding: 'utf8',
          timeout: 30_000,
        });
        expect([0, 1], result.stderr).toContain(result.status);
        expect(result.stderr).not.toMatch(/^\s+at /m);
        if (result.status === 1) expect(result.stderr).toContain(`${file}: `);
      }
    },
    FUZZ_TIMEOUT_MS,
  );
});
