import type { ScenarioKpis } from '../report/kpis.js';
import type { ResolvedScenario, ScenarioRunOptions } from '../scenario/run-scenario.js';

/** One run of a sweep: a policy of the scenario and a seed. */
export interface SweepRun {
  policyName: string;
  seed: number;
}

/** What every run of a sweep shares besides the scenario. */
export type SweepRunOptions = Pick<ScenarioRunOptions, 'queueWindow' | 'keepCars'>;

export interface SweepSubmission {
  scenario: ResolvedScenario;
  runs: readonly SweepRun[];
  options?: SweepRunOptions;
  /** Shown in listings; default the scenario's name. */
  name?: string;
  /**
   * How long one run may stay taken by a worker before pg-boss takes the worker for gone and gives the run to
   * another (s): the bound on how late a run of a worker that vanished is retried, when its connection's end does
   * not tell sooner. Must exceed the slowest run. Default 300.
   */
  runTimeoutS?: number;
}

/** The pg-boss job of one run (`RUN_QUEUE`): the rest is in `sweep` and `sweep_run`. */
export interface RunJobData {
  sweepId: string;
  index: number;
}

/** `queued` until a worker takes the sweep's first run, then `running` until it ends. */
export type SweepState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface SweepStatus {
  id: string;
  name: string;
  state: SweepState;
  runCount: number;
  doneCount: number;
  /** Why it failed (`run 3 (signs, seed 7): CB_…: …`), else null. */
  error: string | null;
  createdAt: Date;
  /** When a worker took its first run; null while it is queued. */
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** One run's KPIs as stored in their columns (no result is parsed to read them). */
export interface RunKpis {
  index: number;
  policy: string;
  seed: number;
  kpis: ScenarioKpis;
}
