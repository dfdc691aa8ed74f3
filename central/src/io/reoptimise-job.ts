import { type Clock, isCitybayError } from '@citybay/common';
import type { Logger } from 'pino';
import { dayStartOf } from '../core/appointment-day.js';
import type { SiteDefinition } from '../core/site-definition.js';
import type { CentralStore } from '../store/store.js';
import type { DayPlanner } from './day-planner.js';

/** What one run of the periodic re-optimisation did, in site-days. */
export interface ReoptimiseRunTally {
  /** A better plan was found and saved as a new version. */
  improved: number;
  /** Nothing to gain; nothing saved. */
  unchanged: number;
  /** Left alone: another instance's allocator holds the day, or changed it during the run. */
  skipped: number;
  failed: number;
}

export interface ReoptimiseJobDeps {
  store: CentralStore;
  planner: DayPlanner;
  clock: Clock;
  logger: Logger;
  /** Checked between site-days, so shutting down does not wait for every site. */
  isStopped?: () => boolean;
}

/**
 * Re-optimises every site's appointments of today (site-local), one site-day at a time, through the same
 * queue per site-day as appointment submissions. Never throws: failures are logged and counted.
 */
export async function reoptimiseToday(deps: ReoptimiseJobDeps): Promise<ReoptimiseRunTally> {
  const { store, planner, clock, logger } = deps;
  const tally: ReoptimiseRunTally = { improved: 0, unchanged: 0, skipped: 0, failed: 0 };
  let sites: SiteDefinition[];
  try {
    sites = await store.listSites();
  } catch (err) {
    logger.error({ err }, 're-optimisation: cannot list sites');
    tally.failed += 1;
    return tally;
  }
  let changedAssignments = 0;
  for (const site of sites) {
    if (deps.isStopped?.()) break;
    const dayStartMs = dayStartOf(clock.nowMs(), site.utcOffsetMin ?? 0);
    try {
      const result = await planner.reoptimiseDay(site, dayStartMs, { isBackground: true });
      if (!result) continue;
      if (result.isSkipped) tally.skipped += 1;
      else if (result.isSaved) tally.improved += 1;
      else tally.unchanged += 1;
      changedAssignments += result.changedAssignments;
    } catch (err) {
      // Several instances share the database and each runs this job: losing the race is the normal case.
      if (isCitybayError(err) && err.code === 'CB_APPOINTMENTS_CONFLICT') {
        tally.skipped += 1;
        logger.debug(
          { siteId: site.id, dayStartMs },
          're-optimisation: day changed concurrently; left to the next run',
        );
        continue;
      }
      if (isCitybayError(err) && err.code === 'CB_HTTP_SHUTTING_DOWN') break;
      tally.failed += 1;
      logger.error({ err, siteId: site.id, dayStartMs }, 're-optimisation failed');
    }
  }
  if (tally.improved > 0) logger.info({ ...tally, changedAssignments }, 're-optimisation: better plans saved');
  else logger.debug({ ...tally }, 're-optimisation: nothing to improve');
  return tally;
}
