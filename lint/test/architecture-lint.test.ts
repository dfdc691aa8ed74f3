import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// The dependency rule as ARCHITECTURE.md states it, written out here as the expected data (not read from
// eslint.config.js), so a change to the lint policy has to change this table too.
const ALLOWED: Record<string, readonly string[]> = {
  common: [],
  proto: ['common'],
  'firmware-bridge': ['common'],
  guidance: ['common'],
  sim: ['common', 'guidance'],
  edge: ['common', 'proto', 'firmware-bridge', 'guidance'],
  central: ['common', 'proto', 'sim', 'guidance'],
  scripts: ['common', 'proto', 'firmware-bridge', 'guidance', 'sim', 'edge', 'central'],
};
const WORKSPACES = Object.keys(ALLOWED);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The workspaces there are today (a planned one, such as guidance, joins when it is added to package.json). */
const EXISTING = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { workspaces: string[] }).workspaces;

let eslint: ESLint;
beforeAll(() => {
  // The files linted here do not exist on disk, so the project service cannot type them: the architecture
  // rules are syntactic, and the type-aware rules are checked on the real files by `npm run lint`.
  eslint = new ESLint({ cwd: ROOT, overrideConfig: [tseslint.configs.disableTypeChecked as Linter.Config] });
});

async function lint(code: string, path: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}${path}` });
  return result!.messages;
}

async function ruleMessages(code: string, path: string, ruleId: string): Promise<string[]> {
  return (await lint(code, path)).filter((m) => m.ruleId === ruleId).map((m) => m.messageId ?? m.message);
}

function declared(workspace: string): string[] {
  const pkg = JSON.parse(readFileSync(`${ROOT}${workspace}/package.json`, 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  return Object.keys(pkg.dependencies ?? {})
    .filter((name) => name.startsWith('@citybay/'))
    .map((name) => name.slice('@citybay/'.length));
}

describe('the dependency rule', () => {
  it('covers every workspace', () => {
    for (const workspace of EXISTING) expect(WORKSPACES).toContain(workspace);
  });

  const pairs = WORKSPACES.flatMap((from) => WORKSPACES.filter((to) => to !== from).map((to) => [from, to]));

  it.each(pairs)('%s importing @citybay/%s', async (from, to) => {
    const isAllowed = ALLOWED[from]!.includes(to);
    const isDeclared = EXISTING.includes(from) && declared(from).includes(to);
    const expected = !isAllowed ? ['forbidden'] : isDeclared ? [] : ['undeclared'];
    const path = `${from}/src/some-module.ts`;
    const asValue = `import { thing } from '@citybay/${to}';\nexport const copy = thing;\n`;
    const asType = `import type { Thing } from '@citybay/${to}';\nexport type Copy = Thing;\n`;
    const asTypeQuery = `export type Copy = import('@citybay/${to}').Thing;\n`;
    const asDynamic = `export const load = () => import('@citybay/${to}/testing');\n`;
    const asReExport = `export type { Thing } from '@citybay/${to}';\n`;
    for (const code of [asValue, asType, asTypeQuery, asDynamic, asReExport]) {
      expect(await ruleMessages(code, path, 'citybay/dependency-rule'), code).toEqual(expected);
    }
  });

  it('applies to tests and benchmarks of a package as well as its sources', async () => {
    for (const path of ['edge/test/some.test.ts', 'edge/bench/some-bench.ts']) {
      const messages = await ruleMessages(
        `import { x } from '@citybay/central';\nx();\n`,
        path,
        'citybay/dependency-rule',
      );
      expect(messages).toEqual(['forbidden']);
    }
  });

  it('refuses a path into another workspace, however it is written', async () => {
    const code = `import { x } from '../../../central/src/http/app.js';\nimport { y } from '../../../sim/dist/index.js';\nx(y);\n`;
    expect(await ruleMessages(code, 'edge/src/io/some-module.ts', 'citybay/dependency-rule')).toEqual([
      'crossPackagePath',
      'crossPackagePath',
    ]);
    expect(
      await ruleMessages(`import { x } from '../core/y.js';\nx();\n`, 'edge/src/io/z.ts', 'citybay/dependency-rule'),
    ).toEqual([]);
  });

  it.each(EXISTING)('%s declares only what the rule allows, and builds against exactly that', (workspace) => {
    const names = declared(workspace);
    for (const name of names) expect(ALLOWED[workspace], `${workspace} declares @citybay/${name}`).toContain(name);
    const tsconfig = readFileSync(`${ROOT}${workspace}/tsconfig.json`, 'utf8');
    const references = [...tsconfig.matchAll(/"path":\s*"\.\.\/([^"]+)"/g)].map((m) => m[1]);
    expect(references.sort()).toEqual([...names].sort());
  });
});

describe('pure code', () => {
  const impure: [string, string][] = [
    ['export const t = Date.now();', 'dateNow'],
    ['export const clock = { now: Date.now };', 'dateNow'],
    ['export const d = new Date();', 'newDate'],
    ['export const s = Date();', 'newDate'],
    ['export const r = Math.random();', 'mathRandom'],
    ['export const port = process.env.PORT;', 'impureGlobal'],
    ['export const t = performance.now();', 'impureGlobal'],
    ['export const id = crypto.randomUUID();', 'impureGlobal'],
    ['setTimeout(() => {}, 10);', 'impureGlobal'],
    ["import { readFileSync } from 'node:fs';\nexport const f = readFileSync;", 'builtin'],
    ["import { createServer } from 'http';\nexport const f = createServer;", 'builtin'],
    ["export const load = () => import('node:child_process');", 'builtin'],
    ["import { Worker } from 'node:worker_threads';\nexport const W = Worker;", 'builtin'],
    ["import pino from 'pino';\nexport const log = pino();", 'impureModule'],
    ["import Database from 'better-sqlite3';\nexport const D = Database;", 'impureModule'],
    ["import { loadSite } from '../io/site-loader.js';\nexport const f = loadSite;", 'impureFile'],
  ];

  it.each(impure)('a core module may not use %s', async (code, messageId) => {
    expect(await ruleMessages(code, 'edge/src/core/some-module.ts', 'citybay/pure-core')).toEqual([messageId]);
  });

  it.each([
    'central/src/core/a.ts',
    'firmware-bridge/src/core/deep/b.ts',
    'sim/src/traffic/c.ts',
    'sim/src/errors.ts',
    'guidance/src/d.ts',
  ])('%s is pure code', async (path) => {
    expect(await ruleMessages('export const t = Date.now();', path, 'citybay/pure-core')).toEqual(['dateNow']);
  });

  it.each([
    'edge/src/io/a.ts',
    'edge/src/main.ts',
    'sim/src/cli/b.ts',
    'sim/src/pool/c.ts',
    'sim/src/queue/e.ts',
    'central/test/core/d.test.ts',
  ])('%s is shell code (or a test) and may use the clock and I/O', async (path) => {
    const code =
      "import { readFileSync } from 'node:fs';\nexport const t = Date.now() + Math.random();\nreadFileSync;\n";
    expect(await ruleMessages(code, path, 'citybay/pure-core')).toEqual([]);
  });

  it('allows what computes without I/O: a given time, types of I/O modules, pure built-ins, other pure code', async () => {
    const code = [
      "import type { Server } from 'node:http';",
      "import { inspect } from 'node:util';",
      "import { errors } from '../errors.js';",
      "import { plan } from './planner.js';",
      'export const at = (ms: number) => new Date(ms).toISOString();',
      'export const f = (s: Server) => inspect(s) + plan(errors);',
    ].join('\n');
    expect(await ruleMessages(code, 'central/src/core/some-module.ts', 'citybay/pure-core')).toEqual([]);
  });

  it('a local name that shadows a global is not the global', async () => {
    const code = 'const Math = { random: () => 4 };\nexport const r = Math.random();\n';
    expect(await ruleMessages(code, 'edge/src/core/some-module.ts', 'citybay/pure-core')).toEqual([]);
  });

  it('a pure sim module may not load sim’s shell (cli/, pool/) at run time', async () => {
    const code = "import { loadScenario } from '../cli/scenario-loader.js';\nexport const f = loadScenario;\n";
    expect(await ruleMessages(code, 'sim/src/twin/some-module.ts', 'citybay/pure-core')).toEqual(['impureFile']);
  });

  it('pure sim code reaches PostgreSQL neither directly nor through the queue shell', async () => {
    const viaShell = "import { SimQueue } from '../queue/sim-queue.js';\nexport const q = SimQueue;\n";
    expect(await ruleMessages(viaShell, 'sim/src/traffic/some-module.ts', 'citybay/pure-core')).toEqual(['impureFile']);
    const direct = "import PgBoss from 'pg-boss';\nexport const b = PgBoss;\n";
    expect(await ruleMessages(direct, 'sim/src/scenario/some-module.ts', 'citybay/pure-core')).toEqual([
      'impureModule',
    ]);
  });
});

describe('the rest of the house rules', () => {
  it('source files are type-checked for promises and limited to 500 lines of code', async () => {
    const config = (await new ESLint({ cwd: ROOT }).calculateConfigForFile(`${ROOT}edge/src/main.ts`)) as Linter.Config;
    expect(config.languageOptions?.parserOptions).toMatchObject({ projectService: true });
    const severity = (rule: string) => (config.rules?.[rule] as unknown[] | undefined)?.[0];
    expect(severity('@typescript-eslint/no-floating-promises')).toBe(2);
    expect(severity('@typescript-eslint/no-misused-promises')).toBe(2);
    expect(config.rules?.['max-lines']).toEqual([2, expect.objectContaining({ max: 500 })]);
  });
});
