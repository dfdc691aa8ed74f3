import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderHtmlReport } from '../report/html-report.js';
import {
  carsCsv,
  flowsCsv,
  kpiComparisonCsv,
  linksCsv,
  perHourCsv,
  queueWindowCsv,
  timeSeriesCsv,
} from '../report/result-files.js';
import type { ScenarioResult } from '../scenario/run-scenario.js';

function slug(result: ScenarioResult, isSeedShown: boolean): string {
  const name = isSeedShown ? `${result.policy}-seed${result.seed}` : result.policy;
  return name.replace(/[^A-Za-z0-9_.-]+/g, '_');
}

/**
 * Writes one folder per run (`result.json`, `timeseries.csv`, `links.csv`, `flows.csv`, `queues.csv`, `per-hour.csv`,
 * and `cars.csv` when the run kept its cars) plus `kpis.csv` and `report.html`
 * comparing all runs. Returns the paths written.
 */
export function writeResults(outDir: string, results: readonly ScenarioResult[], title: string): string[] {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  const write = (path: string, text: string) => {
    writeFileSync(path, text);
    written.push(path);
  };
  const isSeedShown = new Set(results.map((r) => r.seed)).size > 1;
  for (const result of results) {
    const dir = join(outDir, slug(result, isSeedShown));
    mkdirSync(dir, { recursive: true });
    write(join(dir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
    write(join(dir, 'timeseries.csv'), timeSeriesCsv(result));
    write(join(dir, 'links.csv'), linksCsv(result));
    write(join(dir, 'flows.csv'), flowsCsv(result));
    write(join(dir, 'queues.csv'), queueWindowCsv(result));
    write(join(dir, 'per-hour.csv'), perHourCsv(result));
    if (result.cars !== undefined) write(join(dir, 'cars.csv'), carsCsv(result));
  }
  write(join(outDir, 'kpis.csv'), kpiComparisonCsv(results));
  write(join(outDir, 'report.html'), renderHtmlReport(results, title));
  return written;
}
