export type { SampleSiteOptions } from './sample-summary.js';
export { SampleSite } from './sample-summary.js';
