// Helpers for the SUMO comparison benchmark: write a link-model run as SUMO input, run `sumo`, read its outputs.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { buildSumoExport } from '../src/sumo/sumo-export.js';
import type { PreparedRun } from '../src/scenario/run-scenario.js';
import { MESO_ARGS, sumoLaneQueueM } from './sumo-osm-support.js';

export const SUMO_ENV = { ...process.env, SUMO_HOME: process.env.SUMO_HOME ?? '/usr/share/sumo' };

export interface SumoRun {
  wallS: number;
  /** SUMO's own count of vehicle updates (vehicle-steps). */
  vehicleSteps: number;
  /** Vehicle-steps per second as SUMO reports them (UPS). */
  updatesPerS: number;
  /** Per vehicle id: time parked (park trips) or arrived (through trips), s. */
  doneS: Map<string, number>;
  /** Maximum over time of the longest approach branch's summed lane queues (m; the longest lane of each edge). */
  maxApproachQueueM: number;
  /** That approach queue at every queue-output sample (10 s), in time order (m). */
  approachSamplesM: number[];
  /** Per edge of the approach branches: the longest lane's queue, maximum over time (m). */
  edgeMaxQueueM: Map<string, number>;
  /** Cars SUMO teleported (its log's `Teleports:`; 0 when none). */
  teleports: number;
}

export function writeSumoInputs(
  dir: string,
  prepared: PreparedRun,
  netFile: string,
): ReturnType<typeof buildSumoExport> {
  mkdirSync(dir, { recursive: true });
  const exported = buildSumoExport(prepared, prepared.input.network, { networkKind: 'sumo', sourceNetFile: netFile });
  writeFileSync(join(dir, 'routes.rou.xml'), exported.routesXml);
  writeFileSync(join(dir, 'parking.add.xml'), exported.additionalXml);
  for (const [name, text] of Object.entries(exported.networkFiles)) writeFileSync(join(dir, name), text);
  // The lots' own roads (see sumo-lot-layout.ts) are added to the net by netconvert when the export needs them.
  if (exported.netconvertArgs.length > 0) netconvert(dir, exported.netconvertArgs);
  writeFileSync(
    join(dir, 'run.sumocfg'),
    exported.netconvertArgs.length > 0 ? exported.configXml : exported.configXml.replace('net.net.xml', netFile),
  );
  return exported;
}

export function runSumo(
  dir: string,
  options: { isMeso?: boolean; endS?: number; approachBranches?: string[][]; stayS?: Map<string, number> },
): SumoRun {
  const args = ['-c', 'run.sumocfg', '--no-step-log', '--duration-log.statistics', '--tripinfo-output', 'trips.xml'];
  if (options.endS !== undefined) args.push('--end', String(options.endS));
  if (options.isMeso === true) args.push(...MESO_ARGS);
  if (options.approachBranches !== undefined) args.push('--queue-output', 'queues.xml', '--queue-output.period', '10');
  const started = performance.now();
  const result = spawnSync('sumo', args, { cwd: dir, encoding: 'utf8', env: SUMO_ENV, maxBuffer: 1 << 26 });
  const wallS = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`sumo failed: ${result.stderr}`);
  const log = `${result.stdout}\n${result.stderr}`;
  const ups = Number(/UPS: ([\d.]+)/.exec(log)?.[1] ?? Number.NaN);
  const durationS = Number(/Duration: ([\d.]+)s/.exec(log)?.[1] ?? Number.NaN);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (n) => ['tripinfo', 'data', 'lane'].includes(n),
  });
  const trips = (parser.parse(readFileSync(join(dir, 'trips.xml'), 'utf8')).tripinfos?.tripinfo ?? []) as Array<
    Record<string, string>
  >;
  const doneS = new Map<string, number>();
  for (const trip of trips) {
    const stay = options.stayS?.get(trip.id ?? '') ?? 0;
    doneS.set(trip.id ?? '', Number(trip.arrival) - stay);
  }
  let maxApproachQueueM = 0;
  const approachSamplesM: number[] = [];
  const edgeMaxQueueM = new Map<string, number>();
  if (options.approachBranches !== undefined) {
    const wanted = new Set(options.approachBranches.flat());
    const steps = (parser.parse(readFileSync(join(dir, 'queues.xml'), 'utf8'))['queue-export']?.data ?? []) as Array<{
      lanes?: { lane?: Array<Record<string, string>> };
    }>;
    for (const step of steps) {
      const byEdge = new Map<string, number>();
      for (const lane of step.lanes?.lane ?? []) {
        const edge = (lane.id ?? '').replace(/_\d+$/, '');
        if (!wanted.has(edge)) continue;
        byEdge.set(edge, Math.max(byEdge.get(edge) ?? 0, sumoLaneQueueM(lane)));
      }
      for (const [edge, queueM] of byEdge) edgeMaxQueueM.set(edge, Math.max(edgeMaxQueueM.get(edge) ?? 0, queueM));
      let approachM = 0;
      for (const branch of options.approachBranches) {
        let total = 0;
        for (const edge of branch) total += byEdge.get(edge) ?? 0;
        if (total > approachM) approachM = total;
      }
      approachSamplesM.push(approachM);
      if (approachM > maxApproachQueueM) maxApproachQueueM = approachM;
    }
  }
  return {
    wallS,
    vehicleSteps: ups * durationS,
    updatesPerS: ups,
    doneS,
    maxApproachQueueM,
    approachSamplesM,
    edgeMaxQueueM,
    teleports: Number(/Teleports: (\d+)/.exec(log)?.[1] ?? 0),
  };
}

export function netconvert(dir: string, args: string[]): void {
  const result = spawnSync('netconvert', args, { cwd: dir, encoding: 'utf8', env: SUMO_ENV });
  if (result.status !== 0) throw new Error(`netconvert failed: ${result.stderr}`);
}

export function netgenerate(dir: string, args: string[]): void {
  const result = spawnSync('netgenerate', args, { cwd: dir, encoding: 'utf8', env: SUMO_ENV });
  if (result.status !== 0) throw new Error(`netgenerate failed: ${result.stderr}`);
}
