import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { errors } from '../errors.js';
import { formatLogLine } from './log-lines.js';

export interface ManagedChildOptions {
  /** Short name used as the log prefix: `[central]`. */
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Open an IPC channel (for `send`). Default false. */
  hasIpc?: boolean;
  /** Where prefixed output lines go; default: nowhere (tests keep them in `recentLines`). */
  output?: (line: string) => void;
  /** Lines kept for error messages and tests. Default 200. */
  keepLines?: number;
}

/**
 * A child process of the demo stack: its stdout/stderr lines prefixed with its name, a way to wait for a line,
 * and a clean stop (SIGTERM, wait, then SIGKILL).
 */
export class ManagedChild {
  readonly name: string;
  readonly process: ChildProcess;
  readonly recentLines: string[] = [];
  private readonly waiters = new Set<{ test: (line: string) => boolean; resolve: (line: string) => void }>();
  private readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined;
  private isStopping = false;

  constructor(private readonly options: ManagedChildOptions) {
    this.name = options.name;
    this.process = spawn(options.command, options.args, {
      cwd: options.cwd,
      // Its own process group: a Ctrl-C in the terminal reaches only the orchestrator, which stops the children in
      // order (edges flush to central before central goes).
      detached: true,
      env: { ...process.env, ...options.env },
      stdio: options.hasIpc === true ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [this.process.stdout, this.process.stderr]) {
      if (stream === null) continue;
      createInterface({ input: stream }).on('line', (line) => this.onLine(line));
    }
    this.exited = new Promise((resolve) => {
      this.process.once('exit', (code, signal) => {
        this.exitCode = code ?? (signal === null ? null : 128);
        resolve(this.exitCode);
      });
      this.process.once('error', (err) => {
        this.onLine(`cannot start ${options.command}: ${err.message}`);
        this.exitCode = 127;
        resolve(127);
      });
    });
  }

  private onLine(raw: string): void {
    const line = formatLogLine(raw);
    this.recentLines.push(line);
    if (this.recentLines.length > (this.options.keepLines ?? 200)) this.recentLines.shift();
    this.options.output?.(`[${this.name}] ${line}`);
    for (const waiter of this.waiters) {
      if (waiter.test(raw)) {
        this.waiters.delete(waiter);
        waiter.resolve(raw);
      }
    }
  }

  get hasExited(): boolean {
    return this.exitCode !== undefined;
  }

  get stopping(): boolean {
    return this.isStopping;
  }

  /** Resolves with the exit code when the process ends. */
  whenExited(): Promise<number | null> {
    return this.exited;
  }

  /** Waits for an output line matching `test`; rejects when the process exits first or after `timeoutMs`. */
  waitForLine(test: (line: string) => boolean, timeoutMs: number, what: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const waiter = {
        test,
        resolve: (line: string) => {
          clearTimeout(timer);
          resolve(line);
        },
      };
      const fail = (why: string) => {
        this.waiters.delete(waiter);
        clearTimeout(timer);
        reject(
          errors.CB_START_CHILD_FAILED(
            `${this.name}: ${why} while waiting for ${what}; last lines:\n  ${this.recentLines.slice(-15).join('\n  ')}`,
          ),
        );
      };
      const timer = setTimeout(() => fail(`no sign after ${Math.round(timeoutMs / 1000)} s`), timeoutMs);
      this.waiters.add(waiter);
      void this.exited.then((code) => {
        if (this.waiters.has(waiter)) fail(`exited with code ${code}`);
      });
    });
  }

  send(message: unknown): void {
    this.process.send?.(message as object);
  }

  /** SIGTERM, then SIGKILL when it has not exited within `graceMs`. Resolves with the exit code. */
  async stop(graceMs = 10_000): Promise<number | null> {
    this.isStopping = true;
    if (this.hasExited) return this.exitCode ?? null;
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => {
      this.options.output?.(`[${this.name}] did not stop within ${graceMs} ms: killing it`);
      this.process.kill('SIGKILL');
    }, graceMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}
