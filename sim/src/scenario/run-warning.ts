/**
 * Input that is accepted but looks wrong: a run goes ahead, and the CLI prints these and the results carry them.
 * Codes are stable (`W_<AREA>_<PROBLEM>`, apart from the `CB_` error codes); `path` names the field or element.
 */
export interface RunWarning {
  code: WarningCode;
  path: string;
  message: string;
}

export const WARNING_CODES = {
  W_DEMAND_ORIGIN_SHARES: 'demand.origins shares do not add up to 1 (they are used as relative weights)',
  W_SCENARIO_APPROACH_GAP: 'an approach branch is not a connected chain of edges (the queue sum skips a gap)',
  W_SCENARIO_SIGN_UNPASSED: 'no car of the demand passes a guidance sign on its planned route',
  W_DEMAND_NO_RETURN: 'an origin has no edge for the way home (no reverse edge; set demand.origins[].returnEdgeId)',
  W_SUMO_SKIPPED: 'SUMO demand the link model does not simulate (persons, bicycles, rail) was left out',
  W_SUMO_VEHICLE_CLASS: 'SUMO vehicles of other classes (trucks, buses) run as passenger cars',
  W_SUMO_ROUTE_CHANGED: 'SUMO routes other than the shortest path citybay drives (or with via) are driven on that path',
  W_SUMO_STOP_IGNORED: 'SUMO stops other than the first parkingArea stop are not simulated',
  W_SUMO_OUTSIDE_PERIOD: 'SUMO vehicles departing outside the scenario period were left out',
} as const;

export type WarningCode = keyof typeof WARNING_CODES;

/**
 * Collects warnings, one per code and path (a field, or a SUMO file for its vehicles): repeats only count up
 * (`… (and 41 more)`), the first keeps its message, so the list stays short however many cars it concerns.
 */
export class WarningList {
  private readonly byKey = new Map<string, { warning: RunWarning; more: number }>();

  add(code: WarningCode, path: string, message: string): void {
    const key = `${code}\u0000${path}`;
    const entry = this.byKey.get(key);
    if (entry === undefined) this.byKey.set(key, { warning: { code, path, message }, more: 0 });
    else entry.more++;
  }

  list(): RunWarning[] {
    return [...this.byKey.values()].map(({ warning, more }) =>
      more === 0 ? warning : { ...warning, message: `${warning.message} (and ${more} more)` },
    );
  }
}
