import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { laneStorageVeh } from '../../src/traffic/lane-storage.js';
import { DEFAULT_TRAFFIC_PARAMS } from '../../src/traffic/traffic-params.js';
import { requireSumo } from '../helpers/require-sumo.js';
import { SUMO_ENV } from '../helpers/sumo-export-files.js';

const workRoot = mkdtempSync(join(tmpdir(), 'citybay-lane-storage-'));
afterAll(() => rmSync(workRoot, { recursive: true, force: true }));

/** Distances between the junctions at both ends of the short lanes (m), the shortest like benchmark (c)'s 10.65 m. */
const SHORT_M = [9, 10.65, 12, 15.2, 17, 22.6, 25, 31, 40.2];

/**
 * Per short length, a 100 m road, the short lane, then a red light at its end and a road on: 40 cars queue at the red
 * light, fill the short lane and back up onto the road before it. SUMO's cars on the short lane at the end (FCD), by
 * the lane's length in the net netconvert built.
 */
function sumoCarsStanding(dir: string): Array<{ lengthM: number; cars: number }> {
  const nodes: string[] = [];
  const edges: string[] = [];
  const flows: string[] = [];
  SHORT_M.forEach((shortM, i) => {
    const y = i * 100;
    nodes.push(`<node id="a${i}" x="0" y="${y}"/>`, `<node id="b${i}" x="100" y="${y}"/>`);
    nodes.push(`<node id="c${i}" x="${100 + shortM}" y="${y}" type="traffic_light"/>`);
    nodes.push(`<node id="d${i}" x="${200 + shortM}" y="${y}"/>`);
    for (const [id, from, to] of [
      [`in${i}`, 'a', 'b'],
      [`short${i}`, 'b', 'c'],
      [`out${i}`, 'c', 'd'],
    ]) {
      edges.push(`<edge id="${id}" from="${from}${i}" to="${to}${i}" numLanes="1" speed="13.89"/>`);
    }
    flows.push(`<flow id="f${i}" begin="0" end="80" number="40" route="r${i}" departSpeed="max"/>`);
    flows.push(`<route id="r${i}" edges="in${i} short${i} out${i}"/>`);
  });
  writeFileSync(join(dir, 'n.nod.xml'), `<nodes>${nodes.join('')}</nodes>`);
  writeFileSync(join(dir, 'n.edg.xml'), `<edges>${edges.join('')}</edges>`);
  const routes = flows.sort((a, b) => (a.startsWith('<route') ? -1 : 0) - (b.startsWith('<route') ? -1 : 0));
  writeFileSync(join(dir, 'r.rou.xml'), `<routes>${routes.join('')}</routes>`);
  const netconvert = spawnSync(
    'netconvert',
    ['-n', 'n.nod.xml', '-e', 'n.edg.xml', '-o', 'n.net.xml', '--no-turnarounds'],
    { cwd: dir, encoding: 'utf8', env: SUMO_ENV },
  );
  expect(netconvert.status, netconvert.stderr).toBe(0);
  const net = readFileSync(join(dir, 'n.net.xml'), 'utf8');
  // Every light red all the time: the program SUMO loads last is the one it runs.
  const red = SHORT_M.map(
    (_, i) =>
      `<tlLogic id="c${i}" type="static" programID="red" offset="0"><phase duration="999" state="r"/></tlLogic>`,
  );
  writeFileSync(join(dir, 'red.add.xml'), `<additional>${red.join('')}</additional>`);
  const sumo = spawnSync(
    'sumo',
    ['-n', 'n.net.xml', '-r', 'r.rou.xml', '-a', 'red.add.xml', '--begin', '0', '--end', '300', '--no-step-log'].concat(
      ['--fcd-output', 'fcd.xml', '--device.fcd.begin', '299', '--seed', '1'],
    ),
    { cwd: dir, encoding: 'utf8', env: SUMO_ENV },
  );
  expect(sumo.status, sumo.stderr).toBe(0);
  const fcd = readFileSync(join(dir, 'fcd.xml'), 'utf8');
  return SHORT_M.map((_, i) => {
    const lane = new RegExp(`<lane id="short${i}_0"[^>]*length="([0-9.]+)"`).exec(net);
    const cars = fcd.match(new RegExp(`lane="short${i}_0"`, 'g'))?.length ?? 0;
    return { lengthM: Number(lane?.[1]), cars };
  });
}

describe('lane storage', () => {
  it('holds as many jammed cars as SUMO stands on a short lane before a red light', () => {
    requireSumo();
    const standing = sumoCarsStanding(workRoot);
    expect(standing.every(({ lengthM }) => lengthM > 0)).toBe(true);
    const ours = standing.map(({ lengthM }) => laneStorageVeh(lengthM, DEFAULT_TRAFFIC_PARAMS.jamSpacingM));
    expect(ours).toEqual(standing.map(({ cars }) => cars));
    // The lengths cover lanes where ⌊length / jam spacing⌋ would hold one car fewer.
    expect(standing.some(({ lengthM, cars }) => Math.floor(lengthM / 7.5) !== cars)).toBe(true);
  });

  it('holds at least one car, and one more per jam spacing past the first car 1 m short of the end', () => {
    expect(laneStorageVeh(0.5, 7.5)).toBe(1);
    expect(laneStorageVeh(8.5, 7.5)).toBe(1);
    expect(laneStorageVeh(8.51, 7.5)).toBe(2);
    expect(laneStorageVeh(31, 7.5)).toBe(4);
    expect(laneStorageVeh(200, 7.5)).toBe(27);
  });
});
