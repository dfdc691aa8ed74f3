import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatLogLine, logLevelOf } from '../../src/stack/log-lines.js';
import { cliCommand, REPO_ROOT } from '../../src/stack/package-commands.js';
import { freePort, isPortFree, requirePortFree } from '../../src/stack/ports.js';
import { startStack } from '../../src/stack/start-stack.js';

describe('ports', () => {
  it('says which port is taken, by what, and how to choose another', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      expect(await isPortFree(port)).toBe(false);
      const error = await requirePortFree(
        port,
        'central and the dashboard',
        'choose another with `npm start -- --port <n>`',
      ).then(
        () => undefined,
        (err: unknown) => err as { code: string; message: string },
      );
      expect(error?.code).toBe('CB_START_PORT_TAKEN');
      expect(error?.message).toContain(String(port));
      expect(error?.message).toContain('--port');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await isPortFree(port)).toBe(true);
    await expect(requirePortFree(port, 'x', 'y')).resolves.toBeUndefined();
    expect(await freePort()).toBeGreaterThan(0);
  });
});

describe('cliCommand', () => {
  it('names what is missing and how to get it', () => {
    expect(() => cliCommand('dist', 'no-such-package', 'no-such-cli')).toThrow(/npm run build/);
    expect(() => cliCommand('source', 'no-such-package', 'no-such-cli')).toThrow(
      expect.objectContaining({ code: 'CB_START_DEPENDENCY_MISSING' }),
    );
    expect(cliCommand('source', 'edge', 'citybay-edge').args).toContain('tsx');
  });
});

describe('formatLogLine', () => {
  it('turns pino JSON into one readable line and leaves plain text alone', () => {
    const line = JSON.stringify({
      level: 40,
      time: Date.UTC(2026, 0, 1, 7, 5, 9),
      pid: 1,
      hostname: 'h',
      msg: 'bus lost',
      busId: 'b1',
      err: { type: 'Error', message: 'port closed' },
    });
    expect(formatLogLine(line)).toBe('07:05:09 WARN  bus lost  busId=b1 err=Error: port closed');
    expect(formatLogLine('plain text')).toBe('plain text');
    expect(formatLogLine('{not json')).toBe('{not json');
    expect(logLevelOf(line)).toBe(40);
    expect(logLevelOf('plain')).toBeUndefined();
  });
});

describe('startStack', () => {
  it('refuses a policy the scenario does not have before starting anything, naming the ones it has', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'citybay-stack-'));
    try {
      const error = await startStack({
        dataDir,
        port: 0,
        mode: 'source',
        districtFile: join(REPO_ROOT, 'scripts/district/hospital-district-capacity-short.yaml'),
        policy: 'combined',
      }).then(
        () => undefined,
        (err: unknown) => err as { code: string; path: string; message: string },
      );
      expect(error).toMatchObject({ code: 'CB_TWIN_INVALID', path: 'policy' });
      expect(error?.message).toContain('pre-assigned-shifts-signs');
      expect(existsSync(join(dataDir, 'twin.json'))).toBe(false);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
