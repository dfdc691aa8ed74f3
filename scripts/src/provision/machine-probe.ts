import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import type { ToolProbe, ToolRequirement } from './requirements.js';

/** True when `command` is an executable file in one of the `PATH` folders. */
export function isOnPath(command: string, path: string): boolean {
  return path
    .split(delimiter)
    .filter((dir) => dir !== '')
    .some((dir) => {
      try {
        accessSync(join(dir, command), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

function isPresent(probe: ToolProbe, path: string): boolean {
  switch (probe.kind) {
    case 'command':
      return isOnPath(probe.command, path);
    case 'file':
      return existsSync(probe.path);
    case 'python-module':
      return (
        existsSync(probe.python) &&
        spawnSync(probe.python, ['-c', `import ${probe.module}`], { stdio: 'ignore', timeout: 30_000 }).status === 0
      );
  }
}

/** The requirements this machine does not meet, in list order. */
export function findMissingTools(requirements: readonly ToolRequirement[], path: string): ToolRequirement[] {
  return requirements.filter((requirement) => !isPresent(requirement.probe, path));
}

/** What answering the test database looks like from here. */
export type PostgresState =
  { isReady: true } | { isReady: false; problem: 'unreachable' | 'no-database' | 'auth' | 'other'; detail: string };

/** Connects to `url` once (3 s timeout) and classifies what went wrong, if anything. */
export async function probePostgres(url: string): Promise<PostgresState> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { isReady: true };
  } catch (err) {
    const { code, message } = err as { code?: string; message: string };
    // SQLSTATE 3D000: no such database; 28000/28P01: refused by pg_hba.conf or a wrong password. A server that
    // asks for a password the URL does not have fails in the client, without a code.
    const problem =
      code === '3D000'
        ? 'no-database'
        : code === '28000' || code === '28P01' || /password|SASL/.test(message)
          ? 'auth'
          : code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || /timeout/i.test(message)
            ? 'unreachable'
            : 'other';
    return { isReady: false, problem, detail: message };
  } finally {
    await client.end().catch(() => undefined);
  }
}
