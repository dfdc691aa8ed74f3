import { appointmentDaysContract } from './appointment-days.contract.js';
import { directivesContract } from './directives.contract.js';
import { driverLinksContract } from './driver-links.contract.js';
import { scenarioJobsContract } from './scenario-jobs.contract.js';
import { sitesAndEdgesContract } from './sites-edges.contract.js';
import type { StoreFactory } from './store-fixture.js';
import { syncContract } from './sync.contract.js';
import { whatIfContract } from './whatif.contract.js';

export type { StoreFactory } from './store-fixture.js';

/**
 * The behaviour every `CentralStore` must have, one file per aggregate, each test on a new database of its own;
 * run by store-sqlite.test.ts and store-postgres.test.ts.
 */
export function storeContract(name: string, factory: StoreFactory): void {
  sitesAndEdgesContract(name, factory);
  syncContract(name, factory);
  directivesContract(name, factory);
  appointmentDaysContract(name, factory);
  scenarioJobsContract(name, factory);
  whatIfContract(name, factory);
  driverLinksContract(name, factory);
}
