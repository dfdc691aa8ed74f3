import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

const codeAndPath = (run: () => unknown) => {
  try {
    run();
  } catch (err) {
    const { code, path } = err as { code?: string; path?: string };
    return { code, path };
  }
  return undefined;
};

describe('reoptimiseIntervalMs', () => {
  it('defaults to 15 minutes, and 0 turns the re-optimisation off', () => {
    expect(loadConfig({}).reoptimiseIntervalMs).toBe(900_000);
    expect(loadConfig({ CITYBAY_REOPTIMISE_INTERVAL_MS: '0' }).reoptimiseIntervalMs).toBe(0);
    expect(loadConfig({}, { reoptimiseIntervalMs: 60_000 }).reoptimiseIntervalMs).toBe(60_000);
  });

  it.each([
    ['a negative interval', { reoptimiseIntervalMs: -1 }],
    ['an interval below a second', { reoptimiseIntervalMs: 500 }],
    ['text', { reoptimiseIntervalMs: 'quarter-hourly' }],
  ])('refuses %s, naming the field', (_name, overrides) => {
    expect(codeAndPath(() => loadConfig({}, overrides))).toEqual({
      code: 'CB_CENTRAL_CONFIG_INVALID',
      path: 'reoptimiseIntervalMs',
    });
  });

  it('names the environment variable it came from', () => {
    expect(() => loadConfig({ CITYBAY_REOPTIMISE_INTERVAL_MS: '10' })).toThrow(
      /reoptimiseIntervalMs \(CITYBAY_REOPTIMISE_INTERVAL_MS\)/,
    );
  });
});

describe('numeric settings from the environment', () => {
  it('reads them as numbers, exponents included', () => {
    expect(loadConfig({ CITYBAY_REOPTIMISE_INTERVAL_MS: '9e5', CITYBAY_PORT: ' 8081 ' })).toMatchObject({
      reoptimiseIntervalMs: 900_000,
      port: 8081,
    });
  });

  it.each([
    ['a fraction for a whole number', { CITYBAY_REOPTIMISE_INTERVAL_MS: '1500.5' }, 'reoptimiseIntervalMs'],
    ['text with a number in front', { CITYBAY_PORT: '80x' }, 'port'],
  ])('refuses %s, naming the field', (_name, env, path) => {
    expect(codeAndPath(() => loadConfig(env))).toEqual({ code: 'CB_CENTRAL_CONFIG_INVALID', path });
  });
});

describe('scenario job settings', () => {
  it('default to the newest 100 finished jobs and a 5-minute lease, and come from the environment', () => {
    expect(loadConfig({})).toMatchObject({ scenarioJobsKept: 100, scenarioJobLeaseMs: 300_000 });
    expect(loadConfig({ CITYBAY_SCENARIO_JOBS_KEPT: '500', CITYBAY_SCENARIO_JOB_LEASE_MS: '120000' })).toMatchObject({
      scenarioJobsKept: 500,
      scenarioJobLeaseMs: 120_000,
    });
  });

  it('on PostgreSQL: the sweep queue in citybay_sim_queue, one run at a time per instance, from the environment', () => {
    expect(loadConfig({})).toMatchObject({ scenarioQueueSchema: 'citybay_sim_queue', scenarioWorkerThreads: 1 });
    const env = { CITYBAY_SCENARIO_QUEUE_SCHEMA: 'what_if', CITYBAY_SCENARIO_WORKER_THREADS: '0' };
    expect(loadConfig(env)).toMatchObject({ scenarioQueueSchema: 'what_if', scenarioWorkerThreads: 0 });
  });

  it.each([
    ['keeping no finished job', { CITYBAY_SCENARIO_JOBS_KEPT: '0' }, 'scenarioJobsKept'],
    ['a lease shorter than 10 s', { CITYBAY_SCENARIO_JOB_LEASE_MS: '5000' }, 'scenarioJobLeaseMs'],
    ['a queue schema that is not an identifier', { CITYBAY_SCENARIO_QUEUE_SCHEMA: 'q; drop' }, 'scenarioQueueSchema'],
    ['negative worker threads', { CITYBAY_SCENARIO_WORKER_THREADS: '-1' }, 'scenarioWorkerThreads'],
  ])('refuses %s, naming the field', (_name, env, path) => {
    expect(codeAndPath(() => loadConfig(env))).toEqual({ code: 'CB_CENTRAL_CONFIG_INVALID', path });
  });
});
