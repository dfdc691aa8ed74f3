import { round, xmlFile } from './xml-text.js';

export interface SumoConfigSettings {
  /** The scenario period (s after midnight, SUMO time = citybay time). */
  beginS: number;
  endS: number;
  seed: number;
  comment: string;
}

/**
 * The `.sumocfg` written beside the exported files. Each option is there on purpose:
 *
 * | option | value | why |
 * |---|---|---|
 * | `begin` / `end` | the scenario period | the same window as the link model (cars wanting to leave later are not exported) |
 * | `step-length` | 1 s | the link model's default step |
 * | `seed` | the run's seed | SUMO's driver imperfection (sigma) draws are repeatable |
 * | `time-to-teleport` | 300 s (SUMO's default, written out) | a car stuck 5 min is teleported and counted: a test asserts none is, so gridlock in the export shows |
 * | `ignore-route-errors` | false | a route SUMO cannot drive is an error, not a silently dropped car |
 * | `tripinfo-output` (+ `write-unfinished`) | `tripinfo.xml` | per car: depart, arrival, route length, time loss, stop time — compared with citybay's `cars.csv` |
 * | `stop-output` | `stops.xml` | per stop: when each car reached and left its barrier and its parkingArea (parked, left) |
 * | `summary-output` | `summary.xml` | per step: inserted, running, waiting, teleports, halting, stopped |
 * | `duration-log.statistics` | true | the run's own statistics (UPS = vehicle-steps/s) on stdout |
 */
export function sumoConfigXml(settings: SumoConfigSettings): string {
  return xmlFile('configuration', `${settings.comment}. Options: see sim/README.md (export-sumo).`, [
    '  <input>',
    '    <net-file value="net.net.xml"/>',
    '    <route-files value="routes.rou.xml"/>',
    '    <additional-files value="parking.add.xml"/>',
    '  </input>',
    '  <time>',
    `    <begin value="${round(settings.beginS)}"/>`,
    `    <end value="${round(settings.endS)}"/>`,
    '    <step-length value="1"/>',
    '  </time>',
    '  <processing>',
    '    <time-to-teleport value="300"/>',
    '    <ignore-route-errors value="false"/>',
    '  </processing>',
    '  <random_number>',
    `    <seed value="${settings.seed % 2147483647}"/>`,
    '  </random_number>',
    '  <output>',
    '    <tripinfo-output value="tripinfo.xml"/>',
    '    <tripinfo-output.write-unfinished value="true"/>',
    '    <stop-output value="stops.xml"/>',
    '    <summary-output value="summary.xml"/>',
    '  </output>',
    '  <report>',
    '    <no-step-log value="true"/>',
    '    <duration-log.statistics value="true"/>',
    '  </report>',
  ]);
}
