// What SUMO's cars do on minor approaches (sim/README.md, the approach phase): SUMO micro is run again with FCD output
// (speed and position of every car each step), and every pass of a car over a lane whose connections are all minor
// (`state="m"`) is summarised over the part of the lane queue-output reads (beyond its first quarter): whether the car
// halted (< 0.1 m/s), its steps halted, and its steps below 5 km/h but not halted — the difference between SUMO's jam
// and its halted cars. Printed by bench/traffic-sumo.ts with CB_BENCH_FCD=1 (priority grid).
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { errors } from '../src/errors.js';
import { readXmlElements } from '../src/sumo/sumo-xml-reader.js';
import { run } from './sumo-osm-support.js';

const JAM_SPEED = 5 / 3.6;
const HALTING_SPEED = 0.1;

/** Lanes (id → length) whose every connection is minor. */
function minorLanes(netXml: string): Map<string, number> {
  const states = new Map<string, Set<string>>();
  const lengths = new Map<string, number>();
  readXmlElements(netXml, 'net', errors.CB_NETWORK_INVALID, {
    onOpen({ name, attributes: a }) {
      if (name === 'lane' && !(a.id ?? ':').startsWith(':')) lengths.set(a.id!, Number(a.length));
      if (name !== 'connection' || (a.from ?? ':').startsWith(':')) return;
      const lane = `${a.from}_${a.fromLane}`;
      states.set(lane, (states.get(lane) ?? new Set()).add(a.state ?? ''));
    },
  });
  const minor = new Map<string, number>();
  for (const [lane, set] of states) if (set.size === 1 && set.has('m')) minor.set(lane, lengths.get(lane) ?? 0);
  return minor;
}

/** Runs the case's SUMO configuration in `dir` with FCD output and summarises the passes over minor lanes. */
export function minorPassLines(dir: string, netFile: string, endS: number): string[] {
  run(
    'sumo',
    ['-c', 'run.sumocfg', '--end', String(endS), '--no-step-log', '--fcd-output', 'fcd.xml'].concat([
      '--fcd-output.attributes',
      'speed,lane,pos',
    ]),
    dir,
  );
  const minor = minorLanes(readFileSync(netFile, 'utf8'));
  // Per car: the lane it is on and that pass's counts.
  const current = new Map<string, { lane: string; halted: number; slow: number }>();
  let passes = 0;
  let haltingPasses = 0;
  let haltedSteps = 0;
  let slowOfHalting = 0;
  let slowOnlyPasses = 0;
  let slowOfSlowOnly = 0;
  const close = (pass: { lane: string; halted: number; slow: number }) => {
    if (!minor.has(pass.lane)) return;
    passes++;
    if (pass.halted > 0) {
      haltingPasses++;
      haltedSteps += pass.halted;
      slowOfHalting += pass.slow;
    } else if (pass.slow > 0) {
      slowOnlyPasses++;
      slowOfSlowOnly += pass.slow;
    }
  };
  const path = join(dir, 'fcd.xml');
  readXmlElements(readFileSync(path, 'utf8'), 'fcd.xml', errors.CB_SUMO_OUTPUT_INVALID, {
    onOpen({ name, attributes: a }) {
      if (name !== 'vehicle') return;
      const lane = a.lane ?? '';
      let pass = current.get(a.id ?? '');
      if (pass === undefined || pass.lane !== lane) {
        if (pass !== undefined) close(pass);
        pass = { lane, halted: 0, slow: 0 };
        current.set(a.id ?? '', pass);
      }
      const lengthM = minor.get(lane);
      const speed = Number(a.speed);
      if (lengthM === undefined || Number(a.pos) <= 0.25 * lengthM) return;
      if (speed < HALTING_SPEED) pass.halted++;
      else if (speed < JAM_SPEED) pass.slow++;
    },
  });
  for (const pass of current.values()) close(pass);
  rmSync(path);
  const pct = (n: number) => `${((100 * n) / passes).toFixed(1)}%`;
  return [
    `SUMO FCD, ${passes} passes over minor lanes (beyond their first quarter): ${pct(haltingPasses)} halt, ` +
      `${(haltedSteps / haltingPasses).toFixed(2)} steps halted and ${(slowOfHalting / haltingPasses).toFixed(2)} below 5 km/h but not halted per halting pass; ` +
      `${pct(slowOnlyPasses)} go below 5 km/h without halting (${(slowOfSlowOnly / slowOnlyPasses).toFixed(2)} steps each)`,
  ];
}
