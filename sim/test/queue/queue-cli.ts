import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const SIM_DIR = new URL('../../', import.meta.url).pathname;

/** A `citybay-sim` process started from the sources, its output collected. */
export interface StartedCli {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved. */
  output: () => string;
  /** Its exit code (null when a signal ended it). */
  exited: Promise<number | null>;
}

/** Starts `citybay-sim <args>` from the TypeScript sources (tsx), as a user would run it. */
export function startCli(args: string[], env: NodeJS.ProcessEnv = process.env): StartedCli {
  const child = spawn(
    process.execPath,
    ['--conditions=@citybay/source', '--import', 'tsx', join(SIM_DIR, 'src/cli/citybay-sim.ts'), ...args],
    { cwd: SIM_DIR, stdio: ['ignore', 'pipe', 'pipe'], env },
  );
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => text, exited };
}

/** Kills a process that is still running (SIGKILL) and waits for it. */
export async function killCli(started: StartedCli): Promise<void> {
  const { child } = started;
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await started.exited;
  }
}
