import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const SIM_DIR = new URL('../../', import.meta.url).pathname;
const SCENARIO = new URL('../fixtures/small-district/scenario.yaml', import.meta.url).pathname;
const outRoot = mkdtempSync(join(tmpdir(), 'citybay-sim-cli-'));

function cli(...args: string[]) {
  return spawnSync(
    process.execPath,
    ['--conditions=@citybay/source', '--import', 'tsx', join(SIM_DIR, 'src/cli/citybay-sim.ts'), ...args],
    { encoding: 'utf8', cwd: SIM_DIR, timeout: 60_000 },
  );
}

afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

// Each case starts several CLI processes (tsx compiles the sources cold in each), so the 20 s default is too tight.
describe('citybay-sim', { timeout: 90_000 }, () => {
  it('run writes results, CSVs and an offline HTML report, with a progress bar', () => {
    const out = join(outRoot, 'run');
    const result = cli('run', SCENARIO, '--out', out, '--policy', 'signs');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain('100%');
    expect(result.stdout).toMatch(/signs\s+\d/);
    const json = JSON.parse(readFileSync(join(out, 'signs', 'result.json'), 'utf8'));
    expect(json.policy).toBe('signs');
    expect(readFileSync(join(out, 'signs', 'timeseries.csv'), 'utf8').split('\n')[0]).toContain('occupied_H');
    expect(readFileSync(join(out, 'signs', 'cars.csv'), 'utf8').split('\n')[0]).toContain('enteredS');
    expect(json.cars.id.length).toBeGreaterThan(100);
    for (const file of ['flows.csv', 'queues.csv', 'per-hour.csv'])
      expect(existsSync(join(out, 'signs', file))).toBe(true);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it('sweep runs policies × seeds on the pool into one comparison', () => {
    const out = join(outRoot, 'sweep');
    const result = cli(
      'sweep',
      SCENARIO,
      '--out',
      out,
      '--policies',
      'baseline,signs',
      '--seeds',
      '1-2',
      '--threads',
      '2',
    );
    expect(result.status, result.stderr).toBe(0);
    const kpis = readFileSync(join(out, 'kpis.csv'), 'utf8').trim().split('\n');
    expect(kpis).toHaveLength(5);
    expect(existsSync(join(out, 'signs-seed2', 'result.json'))).toBe(true);
    expect(existsSync(join(out, 'signs-seed2', 'cars.csv'))).toBe(false);
  });

  it('export-sumo writes routes, parking areas, a config and netconvert inputs for a built-in network', () => {
    const out = join(outRoot, 'sumo');
    const result = cli('export-sumo', SCENARIO, '--out', out, '--policy', 'baseline');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('netconvert');
    for (const file of [
      'routes.rou.xml',
      'parking.add.xml',
      'run.sumocfg',
      'net.nod.xml',
      'net.edg.xml',
      'net.con.xml',
    ]) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
    expect(readFileSync(join(out, 'parking.add.xml'), 'utf8')).toContain('id="pa_P"');
    expect(readFileSync(join(out, 'build-net.sh'), 'utf8')).toContain('netconvert -n net.nod.xml');
  });

  it('export-sumo refuses a scenario with a car that has no path, and writes nothing', () => {
    const out = join(outRoot, 'sumo-unroutable');
    const result = cli('export-sumo', join(SCENARIO, '../scenario-unroutable.yaml'), '--out', out);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/CB_SIM_UNROUTABLE: trips\[\d+\] \("back\.0"\): no path from edge "e_f"/);
    expect(existsSync(join(out, 'routes.rou.xml'))).toBe(false);
  });

  it('prints warnings for accepted but suspicious input, and keeps them in the results', () => {
    const out = join(outRoot, 'warn');
    const result = cli('run', join(SCENARIO, '../scenario-sumo.yaml'), '--out', out);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^warning W_SUMO_SKIPPED: sumo-demand\.rou\.xml/m);
    const json = JSON.parse(readFileSync(join(out, 'baseline', 'result.json'), 'utf8'));
    expect(json.warnings.map((w: { code: string }) => w.code)).toContain('W_SUMO_VEHICLE_CLASS');
  });

  it('reports bad input with the error code and field, and usage errors with status 2', () => {
    const bad = cli('run', SCENARIO, '--out', join(outRoot, 'x'), '--policy', 'nope');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('CB_SCENARIO_INVALID');
    expect(cli('run').status).toBe(2);
    expect(cli('fly').status).toBe(2);
    expect(cli('sweep', SCENARIO, '--out', join(outRoot, 'y'), '--policies', 'nope').stderr).toContain(
      'unknown policy',
    );
    const threads = cli('sweep', SCENARIO, '--out', join(outRoot, 'z'), '--threads', 'two');
    expect(threads.status).toBe(1);
    expect(threads.stderr).toContain('--threads: "two"');
  });
});
