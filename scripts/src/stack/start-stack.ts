import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { allocationOptionsFor, parseLotsFile, parseScenarioFile } from '@citybay/sim';
import { stringify as stringifyYaml } from 'yaml';
import { parseDistrictFile } from '../district/district-file.js';
import { emulatorKeys, type GeneratedDistrict, generateDistrict } from '../district/generate-district.js';
import { errors } from '../errors.js';
import { type DemoKeyRole, demoCredentials, ensureApiKeys, registerSitesAndEdges } from './credentials.js';
import { ManagedChild } from './managed-child.js';
import { cliCommand, REPO_ROOT, type RunMode } from './package-commands.js';
import { freePort, requirePortFree } from './ports.js';

export const DEFAULT_DISTRICT = join(REPO_ROOT, 'scripts/district/hospital-district.yaml');

export interface StackOptions {
  /** Where central's SQLite file, edge outboxes, generated files and credentials live (`npm start`: `./data`). */
  dataDir: string;
  /** Delete `dataDir` first. Default false (resume). */
  isFresh?: boolean;
  /** Central's port; 0 picks a free one (`npm start`: 8080). */
  port: number;
  host?: string;
  /** Simulated seconds per real second. Default 30. */
  speed?: number;
  /** Live window of the simulated day, `HH:MM`. Default 07:00–11:00. */
  from?: string;
  to?: string;
  policy?: string;
  /** Share of simulated drivers following the signs (0–1). Default the scenario's. */
  signCompliance?: number;
  /** Where the twin writes its figures when the window ends (the closed-loop benchmark). */
  resultFile?: string;
  /** Simulated minutes between bay-controller faults in the twin; 0 = never. Default 45. */
  faultEveryMin?: number;
  districtFile?: string;
  mode: RunMode;
  /** Use socat pseudo-terminals for RTU buses when socat is installed. Default true. */
  useRtu?: boolean;
  /** Child log lines, prefixed. Default: dropped. */
  output?: (line: string) => void;
  /** Messages of the orchestrator itself. */
  log?: (line: string) => void;
  /** Central and edges log at info instead of warn. Default false. */
  isVerbose?: boolean;
}

export interface RunningStack {
  centralUrl: string;
  dashboardUrl: string;
  keys: Record<DemoKeyRole, string>;
  district: GeneratedDistrict;
  children: ManagedChild[];
  /** Resolves when a child exits while the stack is not stopping (with its name). */
  failed: Promise<string>;
  /** SIGTERM to every child (the edges together, then the twin, then central), wait, SIGKILL stragglers. */
  stop(): Promise<void>;
}

function hasProgram(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function waitFor<T>(
  what: string,
  deadlineMs: number,
  probe: () => Promise<T | undefined>,
  children: ManagedChild[],
): Promise<T> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const dead = children.find((c) => c.hasExited);
    if (dead !== undefined) {
      throw errors.CB_START_CHILD_FAILED(
        `${dead.name} exited while waiting for ${what}; last lines:\n  ${dead.recentLines.slice(-15).join('\n  ')}`,
      );
    }
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > until)
      throw errors.CB_START_CHILD_FAILED(`${what}: not ready after ${Math.round(deadlineMs / 1000)} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Starts the whole district as separate processes: central (SQLite under `dataDir`), the twin (hosting the Modbus
 * emulators and running the simulated day live on them, closed-loop with the edges), and one edge per site; registers sites, edges and API keys
 * on first start. Resolves when every edge has synced with central and the twin's clock runs.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const log = options.log ?? (() => {});
  const dataDir = resolve(options.dataDir);
  const host = options.host ?? '127.0.0.1';

  // Fail early with a clear message rather than halfway through.
  const centralCli = cliCommand(options.mode, 'central', 'citybay-central');
  const edgeCli = cliCommand(options.mode, 'edge', 'citybay-edge');
  const twinCli = cliCommand(options.mode, 'scripts', 'citybay-twin');
  const useRtu = (options.useRtu ?? true) && hasProgram('socat');
  if ((options.useRtu ?? true) && !useRtu)
    log('socat is not installed: RTU buses run over Modbus TCP instead (apt-get install socat)');

  // Ports handed out here are not bound until their process starts, so the OS may offer one of them again: each
  // is taken once (a collision made an emulator fail with EADDRINUSE on central's port).
  const taken = new Set<number>();
  const uniquePort = async (onHost?: string): Promise<number> => {
    for (;;) {
      const candidate = await freePort(onHost);
      if (!taken.has(candidate)) {
        taken.add(candidate);
        return candidate;
      }
    }
  };
  const port = options.port === 0 ? await uniquePort(host) : options.port;
  taken.add(port);
  if (options.port !== 0)
    await requirePortFree(port, 'central and the dashboard', 'choose another with `npm start -- --port <n>`', host);
  const centralUrl = `http://${host}:${port}`;

  if (options.isFresh === true && existsSync(dataDir)) {
    log(`--fresh: removing ${dataDir}`);
    rmSync(dataDir, { recursive: true, force: true });
  }
  mkdirSync(dataDir, { recursive: true });

  const districtFile = resolve(options.districtFile ?? DEFAULT_DISTRICT);
  const district = parseDistrictFile(readFileSync(districtFile, 'utf8'), districtFile);
  const scenarioPath = resolve(dirname(districtFile), district.scenario);
  const scenarioDoc = parseScenarioFile(readFileSync(scenarioPath, 'utf8'), scenarioPath);
  const policyName = options.policy ?? 'combined';
  const policyDoc = scenarioDoc.policies.find((p) => p.name === policyName);
  // The twin would fail on it only after central and the emulators started: say so before anything runs.
  if (policyDoc === undefined) {
    throw errors.CB_TWIN_INVALID(
      `policy: ${scenarioPath} has no policy "${policyName}" (known: ${scenarioDoc.policies.map((p) => p.name).join(', ')})`,
      { path: 'policy' },
    );
  }
  const offset = /([+-])(\d{2}):(\d{2})$/.exec(scenarioDoc.date);
  const utcOffsetMin =
    offset === null ? 0 : (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3]));
  const lotsPath = resolve(dirname(scenarioPath), scenarioDoc.lots);
  const lots = parseLotsFile(readFileSync(lotsPath, 'utf8'), lotsPath);

  const keysNeeded = emulatorKeys(district, useRtu);
  const ports = new Map<string, number>();
  for (const key of keysNeeded.tcp) ports.set(key, await uniquePort());
  const edgePorts = new Map<string, number>();
  for (const site of district.sites) edgePorts.set(site.edge, await uniquePort());
  const credentials = demoCredentials(dataDir);
  const generated = generateDistrict(district, lots, {
    fileName: districtFile,
    scenarioPath,
    centralUrl,
    portFor: (key) => ports.get(key) ?? 0,
    ...(useRtu ? { ptyPathFor: (key: string) => join(dataDir, 'pty', key) } : {}),
    secretFileFor: (edgeId) => credentials.edgeSecretFile(edgeId),
    outboxPathFor: (edgeId) => join(dataDir, 'edges', edgeId, 'outbox.db'),
    speed: options.speed ?? 30,
    utcOffsetMin,
    edgeHttpPortFor: (edgeId) => edgePorts.get(edgeId) ?? 0,
    // Central books the twin's cars on the terms the scenario's policy gives its allocator (one set of options).
    appointmentAllocation: allocationOptionsFor(scenarioDoc, policyDoc),
  });
  mkdirSync(join(dataDir, 'sites'), { recursive: true });
  mkdirSync(join(dataDir, 'pty'), { recursive: true });
  const siteFileFor = (siteId: string) => join(dataDir, 'sites', `${siteId}.central.yaml`);
  const edgeFileFor = (edgeId: string) => join(dataDir, 'edges', edgeId, 'site.yaml');
  const banner = `# Generated by \`npm start\` from ${relative(REPO_ROOT, districtFile)}; rewritten at every start.\n`;
  for (const site of generated.sites) {
    writeFileSync(siteFileFor(site.siteId), banner + stringifyYaml(site.central));
    mkdirSync(dirname(edgeFileFor(site.edgeId)), { recursive: true });
    const edge = { ...site.edge, logLevel: options.isVerbose === true ? 'info' : 'warn' };
    writeFileSync(edgeFileFor(site.edgeId), banner + stringifyYaml(edge));
  }
  const twinFile = join(dataDir, 'twin.json');
  // The twin's clock: central plans appointments and the edges hold reservations on the simulated day it runs.
  const clockFile = join(dataDir, 'twin-clock.json');
  rmSync(clockFile, { force: true });
  writeFileSync(twinFile, JSON.stringify(generated.twin, null, 2));
  log(
    `district: ${generated.sites.length} sites, ${generated.totalBays} bays, ${generated.twin.emulators.length} emulated buses${useRtu ? ' (RTU over socat pseudo-terminals)' : ''}`,
  );

  const keys = ensureApiKeys(credentials);
  const centralEnv = {
    CITYBAY_HOST: host,
    CITYBAY_PORT: String(port),
    CITYBAY_SQLITE_PATH: join(dataDir, 'central.db'),
    CITYBAY_API_KEYS: credentials.apiKeysFile,
    CITYBAY_LOG_LEVEL: options.isVerbose === true ? 'info' : 'warn',
    CITYBAY_SHUTDOWN_GRACE_MS: '3000',
    CITYBAY_CALENDAR_CLOCK_FILE: clockFile,
  };
  await registerSitesAndEdges({ sites: generated.sites, credentials, sqlitePath: centralEnv.CITYBAY_SQLITE_PATH, log });

  const children: ManagedChild[] = [];
  const output = options.output;
  const spawnChild = (
    name: string,
    cli: { command: string; args: string[] },
    args: string[],
    extra: Partial<ConstructorParameters<typeof ManagedChild>[0]> = {},
  ) => {
    const child = new ManagedChild({
      name,
      command: cli.command,
      args: [...cli.args, ...args],
      cwd: REPO_ROOT,
      ...(output ? { output } : {}),
      ...extra,
    });
    children.push(child);
    return child;
  };
  let isStopping = false;
  // Should this process die without stopping the stack, take the children with it rather than orphan them.
  process.once('exit', () => {
    for (const child of children) if (!child.hasExited) child.process.kill('SIGTERM');
  });
  const stop = async () => {
    isStopping = true;
    // Edges first (they flush to central and blank their signs), then the twin and its emulators, then central.
    const [central, twin, ...edges] = children;
    await Promise.all(edges.map((edge) => edge.stop()));
    await twin?.stop();
    await central?.stop();
  };

  try {
    const central = spawnChild('central', centralCli, ['serve'], { env: centralEnv });
    await waitFor(
      'central /healthz',
      60_000,
      async () => ((await fetch(`${centralUrl}/healthz`)).ok ? true : undefined),
      [central],
    );
    log(`central is up at ${centralUrl}`);

    const twin = spawnChild(
      'twin',
      twinCli,
      [
        '--layout',
        twinFile,
        '--speed',
        String(options.speed ?? 30),
        '--from',
        options.from ?? '07:00',
        '--to',
        options.to ?? '11:00',
        '--policy',
        policyName,
        '--fault-every',
        String(options.faultEveryMin ?? 45),
        '--central',
        centralUrl,
        '--operator-key-file',
        credentials.keyFile('operator'),
        '--hospital-key-file',
        credentials.keyFile('hospital'),
        '--clock-file',
        clockFile,
        ...(options.signCompliance === undefined ? [] : ['--compliance', String(options.signCompliance)]),
        ...(options.resultFile === undefined ? [] : ['--result', options.resultFile]),
      ],
      { hasIpc: true },
    );
    await twin.waitForLine((line) => line.includes('"twin ready"'), 90_000, 'the twin and its emulators');

    for (const site of generated.sites) {
      spawnChild(site.edgeId, edgeCli, ['run', edgeFileFor(site.edgeId), '--reservations-clock', clockFile]);
    }
    await waitFor(
      'every edge to sync with central',
      90_000,
      async () => {
        const response = await fetch(`${centralUrl}/v1/dashboard/state`);
        const state = (await response.json()) as {
          sites: Array<{ edges: Array<{ edgeId: string; lastSeenMs: number }> }>;
        };
        const seen = new Set(state.sites.flatMap((s) => s.edges.filter((e) => e.lastSeenMs > 0).map((e) => e.edgeId)));
        return generated.sites.every((s) => seen.has(s.edgeId)) ? true : undefined;
      },
      children,
    );
    twin.send({ type: 'start' });
  } catch (err) {
    await stop();
    throw err;
  }

  const failed = new Promise<string>((resolveFailed) => {
    for (const child of children) {
      void child.whenExited().then(() => {
        if (!isStopping) resolveFailed(child.name);
      });
    }
  });
  return {
    centralUrl,
    dashboardUrl: `${centralUrl}/dashboard/`,
    keys,
    district: generated,
    children,
    failed,
    stop,
  };
}
