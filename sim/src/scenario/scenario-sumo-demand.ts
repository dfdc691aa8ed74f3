import { type SumoTrips, sumoTrips } from '../demand/sumo-trips.js';
import { errors } from '../errors.js';
import type { createRouter } from '../routing/shortest-paths.js';
import type { Trip } from '../traffic/trip.js';
import { parseClockMin } from './clock-time.js';
import type { ResolvedScenario } from './run-scenario.js';
import type { WarningList } from './run-warning.js';

/** The trips of `demand.sumoRoutes` for one run (none when the scenario has none). */
export function sumoDemand(
  resolved: ResolvedScenario,
  router: ReturnType<typeof createRouter>,
  run: { startS: number; endS: number; seed: number; warnings: WarningList },
): SumoTrips {
  const settings = resolved.document.demand.sumoRoutes;
  if (settings === undefined) {
    const types = { vTypes: [], vTypeDistributions: [] };
    return { trips: [], flowOf: [], vehicleOf: [], types, parkTrips: 0, throughTrips: 0 };
  }
  if (resolved.sumoRoutes === undefined) {
    // A caller that resolved the scenario without reading its SUMO files would otherwise drop that demand silently.
    throw errors.CB_SCENARIO_INVALID(
      `${resolved.fileName}: demand.sumoRoutes.files: the SUMO route files were not read`,
      {
        path: 'demand.sumoRoutes.files',
      },
    );
  }
  const timeZeroS = parseClockMin(settings.timeZeroAt ?? '00:00')! * 60;
  return sumoTrips(resolved.sumoRoutes, { router, lots: resolved.lots, timeZeroS, ...run });
}

/** Trip ids name cars in the results and in the SUMO export: two sources must not give the same id. */
export function checkUniqueTripIds(trips: readonly Trip[], fileName: string): void {
  const seen = new Set<string>();
  for (const trip of trips) {
    if (seen.has(trip.id)) {
      throw errors.CB_DEMAND_INVALID(
        `${fileName}: demand: two trips have the id "${trip.id}" (appointments, background flows and SUMO vehicles share one id space)`,
        { path: 'demand' },
      );
    }
    seen.add(trip.id);
  }
}
