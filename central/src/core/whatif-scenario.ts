/** How the what-if page lists a scenario it offers. */
export interface WhatIfScenarioSummary {
  id: string;
  name: string;
  description?: string;
  /** The scenario's policies, in its order. */
  policies: string[];
}

/**
 * A scenario the what-if page offers, with its scenario file and the files that names (file name → text): what
 * `POST /v1/scenarios` takes. Stored as the JSON text it serialises to, so it reads back with its keys in order.
 */
export interface WhatIfScenario extends WhatIfScenarioSummary {
  scenario: string;
  files: Record<string, string>;
}
