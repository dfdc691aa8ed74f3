import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A PostgreSQL server of a test's own, in a temporary directory on a free port: a test that restarts or kills its
// database does so to this one, never to the shared server other suites are using at the same moment (they would
// see 57P03 "the database system is starting up" and fail).

/** The newest installed PostgreSQL's programs (Debian: /usr/lib/postgresql/<major>/bin), or `pg_config --bindir`. */
function binDir(): string {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const majors = readdirSync(root)
      .filter((name) => existsSync(join(root, name, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (majors[0] !== undefined) return join(root, majors[0], 'bin');
  }
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('PostgreSQL server programs (initdb, pg_ctl) not found: run `npm run provision`');
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export class PrivatePostgres {
  private constructor(
    private readonly bin: string,
    private readonly dataDir: string,
    readonly port: number,
  ) {}

  /** Connects as the superuser `postgres` (trust auth) to database `postgres`. */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** initdb and start; the data lives on tmpfs where there is one, without fsync (nothing here must survive). */
  static async start(): Promise<PrivatePostgres> {
    const bin = binDir();
    const dataDir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'citybay-pg-'));
    const server = new PrivatePostgres(bin, dataDir, await freePort());
    try {
      // PostgreSQL refuses to run as root: as root, the server runs as the postgres user.
      if (process.getuid?.() === 0) chownSync(dataDir, ...server.postgresIds());
      server.pg('initdb', ['-D', join(dataDir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
      server.pgCtl('start');
    } catch (err) {
      rmSync(dataDir, { recursive: true, force: true });
      throw err;
    }
    return server;
  }

  /** A fast restart (`pg_ctl restart -m fast`): every session is ended, the server is back when this returns. */
  restart(): void {
    this.pgCtl('restart');
  }

  /** Stops the server at once and deletes its files. */
  stop(): void {
    try {
      this.pg('pg_ctl', ['-D', join(this.dataDir, 'data'), '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(this.dataDir, { recursive: true, force: true });
    }
  }

  private pgCtl(action: 'start' | 'restart'): void {
    const options = [
      `-p ${this.port}`,
      "-c listen_addresses='127.0.0.1'",
      `-c unix_socket_directories='${this.dataDir}'`,
      '-c fsync=off',
      '-c full_page_writes=off',
      '-c max_connections=50',
    ].join(' ');
    const data = join(this.dataDir, 'data');
    this.pg('pg_ctl', ['-D', data, '-o', options, '-l', join(this.dataDir, 'log'), '-m', 'fast', '-w', action]);
  }

  private postgresIds(): [number, number] {
    try {
      const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }));
      return [id('-u'), id('-g')];
    } catch (err) {
      throw new Error('running as root, and no postgres user to run PostgreSQL as', { cause: err });
    }
  }

  private pg(program: string, args: string[]): void {
    const path = join(this.bin, program);
    const [command, commandArgs] =
      process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args];
    try {
      execFileSync(command, commandArgs, { encoding: 'utf8', stdio: 'pipe', timeout: 60_000 });
    } catch (err) {
      const { stderr, stdout } = err as { stderr?: string; stdout?: string };
      throw new Error(`${program} ${args.join(' ')} failed: ${stderr ?? ''}${stdout ?? ''}`, { cause: err });
    }
  }
}
