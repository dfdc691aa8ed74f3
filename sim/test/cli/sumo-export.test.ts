import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/cli/scenario-loader.js';
import { buildSumoExport } from '../../src/cli/sumo-export.js';
import { prepareScenarioRun } from '../../src/scenario/run-scenario.js';

const SCENARIO = new URL('../fixtures/small-district/scenario.yaml', import.meta.url).pathname;
const hasSumo = spawnSync('sumo', ['--version'], { encoding: 'utf8' }).status === 0;

/** Fails (never skips) without SUMO; `npm test` provisions it (as root it installs it). */
function requireSumo(): void {
  if (!hasSumo) {
    throw new Error(
      'sumo is missing (Debian packages sumo, sumo-tools): run `npm test` or `sudo apt-get install sumo sumo-tools`',
    );
  }
}

describe('SUMO export', () => {
  it('writes routes with parking stops and one parkingArea per lot', () => {
    const scenario = loadScenario(SCENARIO);
    const exported = buildSumoExport(prepareScenarioRun(scenario), scenario.network);
    expect(exported.additionalXml).toContain('<parkingArea id="pa_H" lane="h_gate_0"');
    expect(exported.routesXml).toMatch(/<stop parkingArea="pa_H" duration="\d+/);
    const departs = [...exported.routesXml.matchAll(/depart="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(departs).toEqual([...departs].sort((a, b) => a - b));
  });

  it('is accepted by netconvert and sumo', () => {
    requireSumo();
    const scenario = loadScenario(SCENARIO);
    const exported = buildSumoExport(prepareScenarioRun(scenario), scenario.network);
    const dir = mkdtempSync(join(tmpdir(), 'citybay-sumo-'));
    try {
      writeFileSync(join(dir, 'net.nod.xml'), exported.plainNodesXml);
      writeFileSync(join(dir, 'net.edg.xml'), exported.plainEdgesXml);
      writeFileSync(join(dir, 'net.con.xml'), exported.plainConnectionsXml);
      writeFileSync(join(dir, 'routes.rou.xml'), exported.routesXml);
      writeFileSync(join(dir, 'parking.add.xml'), exported.additionalXml);
      writeFileSync(join(dir, 'run.sumocfg'), exported.configXml);
      const env = { ...process.env, SUMO_HOME: '/usr/share/sumo' };
      const net = spawnSync(
        'netconvert',
        ['-n', 'net.nod.xml', '-e', 'net.edg.xml', '-x', 'net.con.xml', '-o', 'net.net.xml'],
        {
          cwd: dir,
          encoding: 'utf8',
          env,
        },
      );
      expect(net.status, net.stderr).toBe(0);
      const sim = spawnSync(
        'sumo',
        ['-c', 'run.sumocfg', '--end', String(7 * 3600 + 300), '--no-step-log', '--summary-output', 'summary.xml'],
        {
          cwd: dir,
          encoding: 'utf8',
          env,
        },
      );
      expect(sim.status, sim.stderr).toBe(0);
      expect(sim.stderr).not.toMatch(/Error/);
      const steps = [
        ...readFileSync(join(dir, 'summary.xml'), 'utf8').matchAll(
          /<step time="[^"]+" loaded="(\d+)" inserted="(\d+)" running="\d+" waiting="\d+" ended="\d+" arrived="\d+" collisions="\d+" teleports="(\d+)" halting="\d+" stopped="(\d+)"/g,
        ),
      ];
      const last = steps.at(-1)!;
      expect(Number(last[2])).toBeGreaterThan(50);
      // Cars reached their lots' parkingAreas and are parked there.
      expect(Number(last[4])).toBeGreaterThan(10);
      expect(Number(last[3])).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
