/**
 * A pseudo-terminal pair made by `socat` (`pty,raw,echo=0,link=…` twice): bytes written to one end
 * come out of the other. A pty ignores baud rates, so timing realism is the emulator's paced mode.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface PtyPair {
  /** Link to one end (give it to the master). */
  readonly pathA: string;
  /** Link to the other end (the emulator's side). */
  readonly pathB: string;
  close(): Promise<void>;
}

/** Starts socat and resolves once both links exist. Rejects clearly when socat is missing. */
export async function createPtyPair(pathA: string, pathB: string, timeoutMs = 5000): Promise<PtyPair> {
  const child: ChildProcess = spawn('socat', [`pty,raw,echo=0,link=${pathA}`, `pty,raw,echo=0,link=${pathB}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + timeoutMs;
  await new Promise<void>((resolve, reject) => {
    child.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new Error(
          err.code === 'ENOENT' ? 'socat is not installed (Debian package "socat")' : `socat failed: ${err.message}`,
          { cause: err },
        ),
      ),
    );
    child.once('exit', (code) => reject(new Error(`socat exited with ${code}: ${stderr.trim()}`)));
    const check = () => {
      if (existsSync(pathA) && existsSync(pathB)) resolve();
      else if (Date.now() > deadline)
        reject(new Error(`socat did not create ${pathA} and ${pathB} in ${timeoutMs} ms`));
      else setTimeout(check, 10);
    };
    check();
  });
  return {
    pathA,
    pathB,
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
