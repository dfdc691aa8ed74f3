import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const protoDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = mkdtempSync(join(tmpdir(), 'citybay-gen-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('generated code', () => {
  it('is what sync.proto generates today (run `npm run gen -w @citybay/proto` when this fails)', () => {
    execFileSync(process.execPath, [join(protoDir, 'scripts', 'generate.mjs'), outDir], { stdio: 'pipe' });
    for (const file of ['sync.js', 'sync.d.ts']) {
      const fresh = readFileSync(join(outDir, file), 'utf8');
      const committed = readFileSync(join(protoDir, 'gen', file), 'utf8');
      expect(committed === fresh, `gen/${file} is stale`).toBe(true);
    }
  }, 60_000);
});
