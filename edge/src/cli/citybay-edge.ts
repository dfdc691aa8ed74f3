#!/usr/bin/env node
/**
 * `citybay-edge run site.yaml` runs the gateway; `citybay-edge check site.yaml` checks a site file and
 * prints every problem with the path of the bad field; `citybay-edge schema` prints the JSON Schema.
 */
import { followClockFile } from '@citybay/common';
import { checkSiteFile, formatIssues } from '../config/load-site-config.js';
import { siteJsonSchemaText } from '../config/site-json-schema.js';

const USAGE = `usage: citybay-edge <command>
  run <site.yaml> [--reservations-clock <file>]
                      run the edge gateway; with a clock file (written by the demo's twin), central's
                      reservations start and end on that simulated clock
  check <site.yaml>   check a site file; prints every error, exits 1 if any
  schema              print the JSON Schema of the site file`;

async function main(argv: string[]): Promise<number> {
  const [command, file, ...rest] = argv;
  if (command === 'schema') {
    process.stdout.write(siteJsonSchemaText());
    return 0;
  }
  if ((command !== 'check' && command !== 'run') || file === undefined) {
    console.error(USAGE);
    return 2;
  }
  const result = checkSiteFile(file);
  if (result.config === undefined) {
    console.error(formatIssues(file, result.issues));
    console.error(`${file}: ${result.issues.length} error${result.issues.length === 1 ? '' : 's'}`);
    return 1;
  }
  if (command === 'check') {
    const { layout } = result.config;
    console.log(
      `${file}: OK — site ${layout.siteId}, edge ${layout.edgeId}, ${layout.bays.length} bays in ${layout.zones.length} zones, ` +
        `${layout.gateLots.length} gate-counted lot(s), ${layout.deviceIds.length} device(s), ${result.config.file.signs?.length ?? 0} sign(s)`,
    );
    return 0;
  }
  const clockAt = rest.indexOf('--reservations-clock');
  const clockFile = clockAt >= 0 ? rest[clockAt + 1] : undefined;
  if ((clockAt >= 0 && clockFile === undefined) || rest.length !== (clockAt >= 0 ? 2 : 0)) {
    console.error(USAGE);
    return 2;
  }
  const { runEdge } = await import('../main.js');
  const edge = await runEdge(
    result.config,
    clockFile === undefined ? {} : { reservationsClock: followClockFile(clockFile) },
  );
  const stop = (signal: string) => {
    edge.logger.info({ signal }, 'stopping');
    edge
      .stop()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        edge.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return -1;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
