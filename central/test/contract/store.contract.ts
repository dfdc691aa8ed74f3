import { isCitybayError } from '@citybay/common';
import { AreaStatus, encodeSyncRequest, type SyncRequest } from '@citybay/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioResult } from '@citybay/sim';
import { SCENARIO_JOB_ABANDONED_ERROR, SCENARIO_JOB_SHUTDOWN_ERROR } from '../../src/core/scenario-job-lease.js';
import type { CentralStore, ScenarioJobLease, ScenarioRun, WhatIfScenario } from '../../src/store/store.js';
import { sampleSite, siteDefinitionFor } from '../helpers/sample-site.js';

export interface StoreFactory {
  open(): Promise<CentralStore>;
  cleanup(store: CentralStore): Promise<void>;
}

const T0 = 1_795_000_000_000;

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isCitybayError(err, code), `expected ${code}, got ${String(err)}`).toBe(true);
}

function ingest(store: CentralStore, request: SyncRequest, receivedMs = T0 + 60_000) {
  return store.ingest(request, encodeSyncRequest(request), receivedMs);
}

/** A run's result of about 30 KB, its lots in an order that is not sorted (the store must keep it). */
function runResult(run: ScenarioRun): ScenarioResult {
  // `+ 0` because JSON has no -0: a stored result could not equal one that held it.
  const steps = Array.from({ length: 1_300 }, (_, i) => Math.round(Math.sin(i + run.seed) * 1e4) / 100 + 0);
  return {
    scenario: 'district',
    policy: run.policy,
    seed: run.seed,
    kpis: { parkTrips: 100 + run.seed },
    series: { timesS: steps, lotOccupancy: { P10: steps, H: steps }, gateQueueVeh: { P10: steps } },
  } as unknown as ScenarioResult;
}

/** A what-if scenario whose files are not in sorted order and not all ASCII (the store must keep both). */
function whatIf(id: string, name = `Scenario ${id}`, description?: string): WhatIfScenario {
  return {
    id,
    name,
    ...(description === undefined ? {} : { description }),
    policies: ['baseline', 'signs', 'open-p10'],
    scenario: `name: ${id}\nnetwork: net.json\nlots: lots.yaml\n`,
    files: { 'net.json': '{"nodes":[]}', 'lots.yaml': 'lots: [] # Zufahrt Süd — 入口\n', 'appointments.csv': 'a,b\n' },
  };
}

/** The behaviour every `CentralStore` must have; run by store-sqlite.test.ts and store-postgres.test.ts. */
export function storeContract(name: string, factory: StoreFactory): void {
  describe(`CentralStore contract: ${name}`, () => {
    let store: CentralStore;
    const site = sampleSite(500, 7);
    const definition = siteDefinitionFor(site);

    beforeAll(async () => {
      store = await factory.open();
      expect(await store.migrate()).toEqual([1, 2, 3, 4, 5, 6, 7]);
      await store.putSite(definition, T0);
      await store.addEdge(definition.id, 'edge-01', 'a'.repeat(64), T0);
    });
    afterAll(async () => {
      if (store) await factory.cleanup(store);
    });

    it('migrates once and answers pings', async () => {
      expect(await store.migrate()).toEqual([]);
      expect(await store.ping()).toBe(true);
    });

    it('keeps site definitions and puts their config version into the directives', async () => {
      expect(await store.getSite(definition.id)).toEqual(definition);
      expect((await store.listSites()).map((s) => s.id)).toEqual([definition.id]);
      expect(await store.getSite('nowhere')).toBeUndefined();
      expect((await store.getDirectives(definition.id)).configVersion).toBe('site-v12');
      expect(await store.listSiteVersions()).toEqual([{ siteId: definition.id, updatedMs: T0 }]);
    });

    it('adds edges once, only to known sites, and keeps at most two secrets while rotating', async () => {
      await expectCode(store.addEdge(definition.id, 'edge-01', 'b'.repeat(64), T0), 'CB_EDGE_EXISTS');
      await expectCode(store.addEdge('nowhere', 'edge-x', 'b'.repeat(64), T0), 'CB_SITE_UNKNOWN');
      await store.addEdge(definition.id, 'edge-rot', '1'.repeat(64), T0);
      await store.addEdgeSecret('edge-rot', '2'.repeat(64), T0 + 1);
      expect((await store.getEdge('edge-rot'))?.secretHashes).toEqual(['2'.repeat(64), '1'.repeat(64)]);
      await store.addEdgeSecret('edge-rot', '3'.repeat(64), T0 + 2);
      expect((await store.getEdge('edge-rot'))?.secretHashes).toEqual(['3'.repeat(64), '2'.repeat(64)]);
      await store.dropOldEdgeSecrets('edge-rot');
      const edge = await store.getEdge('edge-rot');
      expect(edge).toMatchObject({ siteId: definition.id, secretHashes: ['3'.repeat(64)] });
      await expectCode(store.addEdgeSecret('nobody', '4'.repeat(64), T0), 'CB_EDGE_UNKNOWN');
      expect(await store.getEdge('nobody')).toBeUndefined();
    });

    it('stores a batch, acknowledges its last seq, and changes nothing on replay', async () => {
      const request = site.syncRequest(1, 10, 10, T0);
      const first = await ingest(store, request);
      expect(first).toMatchObject({ ackedSeq: 10, missingSeqs: [], stored: 10, duplicates: 0 });
      expect(first.directives.siteId).toBe(definition.id);
      const zones = await store.listZoneStates(definition.id);
      expect(zones).toHaveLength(8);
      const expected = site.zoneCounts(site.states);
      for (const zone of expected) {
        const stored = zones.find((z) => z.lotId === zone.lotId && z.zoneId === zone.zoneId)!;
        expect(stored.free).toBe(zone.kinds!.reduce((n, k) => n + (k.free ?? 0), 0));
        expect(stored.occupied).toBe(zone.kinds!.reduce((n, k) => n + (k.occupied ?? 0), 0));
      }
      const devicesBefore = await store.listDevices(definition.id);
      expect(devicesBefore).toHaveLength(8);
      expect(devicesBefore[0]).toMatchObject({ status: 'ok', edgeId: 'edge-01' });
      expect((await store.listSigns(definition.id))[0]?.lines[0]).toMatchObject({ label: 'P1', count: 23 });
      expect(await store.listGates(definition.id)).toEqual([
        expect.objectContaining({ lotId: 'P1', gateId: 'north', entriesTotal: 18_234 }),
      ]);
      const history = await store.listHistory({ siteId: definition.id, fromMs: 0, toMs: T0 * 2, limit: 1000 });
      expect(history.length).toBeGreaterThanOrEqual(8);
      expect(history.reduce((n, h) => n + h.samples, 0)).toBeGreaterThanOrEqual(10);
      expect(await store.listRawBatches('edge-01')).toEqual([[1, 10]]);

      const replay = await ingest(store, request, T0 + 120_000);
      expect(replay).toMatchObject({ ackedSeq: 10, stored: 0, duplicates: 10 });
      expect(await store.listZoneStates(definition.id)).toEqual(zones);
      expect(await store.listHistory({ siteId: definition.id, fromMs: 0, toMs: T0 * 2, limit: 1000 })).toEqual(history);
      expect(await store.listRawBatches('edge-01')).toEqual([[1, 10]]);
    });

    it('records gaps, reports them as missing, fills them, and never lets old windows overwrite new state', async () => {
      const later = site.syncRequest(13, 2, 5, T0 + 200_000);
      const gapped = await ingest(store, later);
      expect(gapped).toMatchObject({ ackedSeq: 14, missingSeqs: [11, 12], stored: 2 });
      const zonesAfter = await store.listZoneStates(definition.id);
      const fill = site.syncRequest(11, 1, 0, T0 + 100_000);
      const filled = await ingest(store, fill);
      expect(filled).toMatchObject({ ackedSeq: 14, missingSeqs: [12], stored: 1 });
      expect(await store.listZoneStates(definition.id)).toEqual(zonesAfter);
      const status = (await store.listEdgeStatus(definition.id)).find((e) => e.edgeId === 'edge-01');
      expect(status).toMatchObject({ ackedSeq: 14, missingSeqCount: 1, secretCount: 1, configVersion: 'site-v12' });
    });

    it('refuses a batch for another site', async () => {
      const other = sampleSite(100, 3, 'edge-01', 'other-site');
      await expectCode(ingest(store, other.syncRequest(1, 1)), 'CB_SYNC_FORBIDDEN');
      // Sent at the same moment, a refused batch does not take a good one down with it.
      const [good, bad] = await Promise.allSettled([
        ingest(store, sampleSite(500, 9, 'edge-rot').syncRequest(1, 2, 1, T0)),
        ingest(store, other.syncRequest(2, 1)),
      ]);
      expect(good).toMatchObject({ status: 'fulfilled', value: { ackedSeq: 2 } });
      expect(bad.status).toBe('rejected');
      expect(await store.listRawBatches('edge-rot')).toEqual([[1, 2]]);
    });

    it('acks many batches of several edges sent at once, each after its commit, in order per edge', async () => {
      const edges = ['g1', 'g2', 'g3'];
      for (const edgeId of edges) await store.addEdge(definition.id, edgeId, 'c'.repeat(64), T0);
      const sites = edges.map((edgeId, i) => sampleSite(500, 20 + i, edgeId));
      const sent = sites.flatMap((s) =>
        [1, 11, 21, 31].map((first) => ingest(store, s.syncRequest(first, 10, 3, T0 + first * 5_000))),
      );
      const refused = ingest(store, sampleSite(100, 3, 'g1', 'other-site').syncRequest(41, 1)).then(
        () => undefined,
        (error: unknown) => error,
      );
      const results = await Promise.all(sent);
      expect(results.map((r) => r.ackedSeq)).toEqual([10, 20, 30, 40, 10, 20, 30, 40, 10, 20, 30, 40]);
      expect(isCitybayError(await refused, 'CB_SYNC_FORBIDDEN')).toBe(true);
      for (const edgeId of edges) {
        expect(await store.listRawBatches(edgeId)).toEqual([
          [1, 10],
          [11, 20],
          [21, 30],
          [31, 40],
        ]);
      }
    });

    it('versions directives, returns them with the ack and logs each version sent to an edge once', async () => {
      const before = await store.getDirectives(definition.id);
      const after = await store.putLotOverride(
        definition.id,
        {
          lotId: 'P2',
          status: AreaStatus.AREA_STATUS_OPEN,
          validFromMs: T0,
          validUntilMs: 0,
          reason: 'shared lot open',
        },
        T0 + 1,
      );
      expect(after.version).toBe(Number(before.version) + 1);
      expect(after.lotOverrides).toEqual([
        expect.objectContaining({ lotId: 'P2', zoneId: '', reason: 'shared lot open' }),
      ]);
      await store.putSignOverride(
        definition.id,
        { signId: 'vms-north', lines: [{ label: 'P2', mode: 4, text: 'HOSPITAL' }], expiresMs: T0 + 3_600_000 },
        T0 + 2,
      );
      const withRes = await store.updateReservations(
        definition.id,
        [{ reservationId: 'r1', lotId: 'P1', zoneId: 'A', kind: 2, validFromMs: T0, validUntilMs: T0 + 3_600_000 }],
        [],
        T0 + 3,
      );
      expect(withRes.version).toBe(Number(before.version) + 3);
      const acked = await ingest(store, site.syncRequest(15, 1, 1, T0 + 300_000), T0 + 300_000);
      expect(acked.directives).toMatchObject({ version: withRes.version, configVersion: 'site-v12' });
      expect(acked.directives.reservations).toHaveLength(1);
      expect(acked.directives.signOverrides).toHaveLength(1);
      await ingest(store, site.syncRequest(16, 1, 1, T0 + 305_000), T0 + 305_000);
      const log = await store.listDirectivesLog(definition.id, 10);
      expect(log.filter((l) => l.version === withRes.version)).toHaveLength(1);
      // Expired items stay stored but are not sent.
      const expired = await ingest(store, site.syncRequest(17, 1, 1, T0 + 4_000_000), T0 + 4_000_000);
      expect(expired.directives.reservations).toEqual([]);
      expect(expired.directives.signOverrides).toEqual([]);
      expect(expired.directives.lotOverrides).toHaveLength(1);
      const removed = await store.removeLotOverride(definition.id, 'P2', '', T0 + 5);
      expect(removed.lotOverrides).toEqual([]);
      expect((await store.updateReservations(definition.id, [], ['r1'], T0 + 6)).reservations).toEqual([]);
      expect((await store.removeSignOverride(definition.id, 'vms-north', T0 + 7)).signOverrides).toEqual([]);
      await expectCode(store.putLotOverride('nowhere', { lotId: 'P1', status: 2 }, T0), 'CB_SITE_UNKNOWN');
    });

    it('versions appointment days and refuses a stale writer', async () => {
      const appointment = {
        id: 'a1',
        startMs: T0 + 3_600_000,
        endMs: T0 + 5_400_000,
        status: 'booked' as const,
        entranceId: 'main',
        needs: { preferredKinds: [] },
      };
      expect(await store.getAppointmentDay(definition.id, T0)).toBeUndefined();
      const day = { siteId: definition.id, dayStartMs: T0, version: 1, appointments: [appointment], assignments: [] };
      const none = { upsert: [], removeIds: [] };
      await store.saveAppointmentDays(definition.id, [day], none, T0);
      expect(await store.getAppointmentDay(definition.id, T0)).toEqual(day);
      await expectCode(store.saveAppointmentDays(definition.id, [day], none, T0), 'CB_APPOINTMENTS_CONFLICT');
      await store.saveAppointmentDays(definition.id, [{ ...day, version: 2, appointments: [] }], none, T0);
      await expectCode(
        store.saveAppointmentDays(definition.id, [{ ...day, version: 2 }], none, T0),
        'CB_APPOINTMENTS_CONFLICT',
      );
      expect((await store.getAppointmentDay(definition.id, T0))?.version).toBe(2);
    });

    it('saves the days of one change and their reservations together, or nothing of them', async () => {
      const nextDay = T0 + 86_400_000;
      const reservation = {
        reservationId: 'appt-r1',
        lotId: 'P1',
        zoneId: 'A',
        kind: 1,
        bayId: '',
        validFromMs: nextDay + 3_600_000,
        validUntilMs: nextDay + 7_200_000,
      };
      const fresh = { siteId: definition.id, dayStartMs: nextDay, version: 1, appointments: [], assignments: [] };
      const stale = { siteId: definition.id, dayStartMs: T0, version: 1, appointments: [], assignments: [] };
      const before = await store.getDirectives(definition.id);
      await expectCode(
        store.saveAppointmentDays(definition.id, [fresh, stale], { upsert: [reservation], removeIds: [] }, T0),
        'CB_APPOINTMENTS_CONFLICT',
      );
      expect(await store.getAppointmentDay(definition.id, nextDay)).toBeUndefined();
      expect((await store.getDirectives(definition.id)).version).toBe(before.version);
      await store.saveAppointmentDays(definition.id, [fresh], { upsert: [reservation], removeIds: [] }, T0);
      expect((await store.getAppointmentDay(definition.id, nextDay))?.version).toBe(1);
      const after = await store.getDirectives(definition.id);
      expect(after.reservations?.map((r) => r.reservationId)).toContain('appt-r1');
      await store.saveAppointmentDays(
        definition.id,
        [{ ...fresh, version: 2 }],
        { upsert: [], removeIds: ['appt-r1'] },
        T0,
      );
      expect((await store.getDirectives(definition.id)).reservations?.map((r) => r.reservationId) ?? []).not.toContain(
        'appt-r1',
      );
    });

    it('knows the day each appointment is stored on, in the same transaction as the days', async () => {
      const [d1, d2] = [T0 + 10 * 86_400_000, T0 + 11 * 86_400_000];
      const booked = (id: string, dayStartMs: number) => ({
        id,
        startMs: dayStartMs + 36_000_000,
        endMs: dayStartMs + 39_600_000,
        status: 'booked' as const,
        entranceId: 'main',
        needs: { preferredKinds: [] },
      });
      const none = { upsert: [], removeIds: [] };
      const day = (dayStartMs: number, version: number, ids: string[]) => ({
        siteId: definition.id,
        dayStartMs,
        version,
        appointments: ids.map((id) => booked(id, dayStartMs)),
        assignments: [],
      });
      await store.saveAppointmentDays(definition.id, [day(d1, 1, ['m1', 'm2', 'stay'])], none, T0);
      expect(await store.appointmentDaysOf(definition.id, ['m1', 'stay', 'unknown'])).toEqual(
        new Map([
          ['m1', d1],
          ['stay', d1],
        ]),
      );
      // m1 moves to the next day (both days in one change, either order); m2 is taken off its day.
      await store.saveAppointmentDays(definition.id, [day(d2, 1, ['m1']), day(d1, 2, ['stay'])], none, T0);
      expect(await store.appointmentDaysOf(definition.id, ['m1', 'm2', 'stay'])).toEqual(
        new Map([
          ['m1', d2],
          ['stay', d1],
        ]),
      );
      await store.saveAppointmentDays(definition.id, [day(d1, 3, ['stay', 'm1']), day(d2, 2, [])], none, T0);
      expect((await store.appointmentDaysOf(definition.id, ['m1'])).get('m1')).toBe(d1);
      // A change that fails saves no index either; another site's ids are its own.
      await expectCode(
        store.saveAppointmentDays(definition.id, [day(d2, 3, ['m1']), day(d1, 3, ['stay'])], none, T0),
        'CB_APPOINTMENTS_CONFLICT',
      );
      expect((await store.appointmentDaysOf(definition.id, ['m1'])).get('m1')).toBe(d1);
      expect((await store.appointmentDaysOf('another-site', ['m1'])).size).toBe(0);
    });

    it('prunes raw batches and history by age', async () => {
      const pruned = await store.prune(T0 + 250_000, T0 + 150_000);
      expect(pruned.rawBatches).toBeGreaterThanOrEqual(1);
      expect(pruned.historyPoints).toBeGreaterThan(0);
      const history = await store.listHistory({ siteId: definition.id, fromMs: 0, toMs: T0 + 150_000, limit: 1000 });
      expect(history).toEqual([]);
    });

    describe('scenario jobs', () => {
      const runs: ScenarioRun[] = [
        { policy: 'baseline', seed: 1 },
        { policy: 'signs', seed: 1 },
      ];
      const at = (nowMs: number, leaseMs = 60_000): ScenarioJobLease => ({ nowMs, leaseMs });
      const newJob = (id: string, ownerId = 'instance-a', jobRuns = runs) => ({
        id,
        name: `job ${id}`,
        runs: jobRuns,
        ownerId,
      });

      it('creates, records progress, finishes and fails jobs, and lists them without results', async () => {
        // The largest sweep a submission may ask for, each run's result about 30 KB.
        const seeds = Array.from({ length: 32 }, (_, seed) => seed);
        const sweep = ['baseline', 'signs'].flatMap((policy) => seeds.map((seed) => ({ policy, seed })));
        const created = await store.createScenarioJob(newJob('life-1', 'instance-a', sweep), T0);
        const queued = { status: 'queued', completedRuns: 0, submittedMs: T0, heartbeatMs: T0 };
        expect(created).toEqual({ ...newJob('life-1', 'instance-a', sweep), ...queued });
        expect(await store.getScenarioJob('life-1', at(T0))).toEqual(created);
        expect(await store.recordScenarioJobProgress('life-1', 0, at(T0 + 1_000))).toBe(true);
        expect(await store.getScenarioJob('life-1', at(T0 + 1_000))).toMatchObject({
          status: 'running',
          heartbeatMs: T0 + 1_000,
        });
        // Writes of one job may land out of order: the count and the heartbeat never go back.
        expect(await store.recordScenarioJobProgress('life-1', 2, at(T0 + 3_000))).toBe(true);
        expect(await store.recordScenarioJobProgress('life-1', 1, at(T0 + 2_000))).toBe(true);
        expect(await store.getScenarioJob('life-1', at(T0 + 3_000))).toMatchObject({
          completedRuns: 2,
          heartbeatMs: T0 + 3_000,
        });
        expect(await store.getScenarioJobResults('life-1')).toBeUndefined();

        const results = sweep.map(runResult);
        expect(JSON.stringify(results).length).toBeGreaterThan(64 * 25_000);
        expect(await store.finishScenarioJob('life-1', results, at(T0 + 4_000))).toBe(true);
        const done = await store.getScenarioJob('life-1', at(T0 + 4_000));
        // Done means every run completed, whatever progress write is still on its way.
        expect(done).toMatchObject({ status: 'done', completedRuns: 64, finishedMs: T0 + 4_000 });
        expect(done).not.toHaveProperty('error');
        const stored = await store.getScenarioJobResults('life-1');
        expect(stored).toEqual(results);
        expect(Object.keys(stored![0]!.series.lotOccupancy)).toEqual(['P10', 'H']);
        // A finished job is final: no more progress, no second ending.
        expect(await store.recordScenarioJobProgress('life-1', 2, at(T0 + 5_000))).toBe(false);
        expect(await store.failScenarioJob('life-1', 'late', at(T0 + 5_000))).toBe(false);
        expect((await store.getScenarioJob('life-1', at(T0 + 5_000)))?.status).toBe('done');

        await store.createScenarioJob(newJob('life-2'), T0 + 6_000);
        expect(await store.failScenarioJob('life-2', 'worker crashed', at(T0 + 7_000))).toBe(true);
        expect(await store.getScenarioJob('life-2', at(T0 + 7_000))).toMatchObject({
          status: 'failed',
          error: 'worker crashed',
          finishedMs: T0 + 7_000,
        });
        expect(await store.finishScenarioJob('life-2', results, at(T0 + 8_000))).toBe(false);
        expect(await store.getScenarioJobResults('life-2')).toBeUndefined();

        const listed = (await store.listScenarioJobs(at(T0 + 8_000))).filter((j) => j.id.startsWith('life-'));
        expect(listed.map((j) => [j.id, j.status])).toEqual([
          ['life-1', 'done'],
          ['life-2', 'failed'],
        ]);
        expect(listed[0]).not.toHaveProperty('results');
        expect(listed[0]!.runs).toEqual(sweep);
        expect(listed[1]!.runs).toEqual(runs);
        expect(await store.getScenarioJob('nope', at(T0))).toBeUndefined();
        expect(await store.recordScenarioJobProgress('nope', 1, at(T0))).toBe(false);
      });

      it('takes a live job whose heartbeat is older than the lease as failed (abandoned), for good', async () => {
        await store.createScenarioJob(newJob('lease-1'), T0);
        await store.recordScenarioJobProgress('lease-1', 1, at(T0 + 10_000));
        await store.createScenarioJob(newJob('lease-queued'), T0);
        expect(await store.getScenarioJob('lease-1', at(T0 + 70_000))).toMatchObject({ status: 'running' });
        const abandoned = { status: 'failed', error: SCENARIO_JOB_ABANDONED_ERROR, finishedMs: T0 + 10_000 };
        expect(await store.getScenarioJob('lease-1', at(T0 + 70_001))).toMatchObject(abandoned);
        expect(await store.getScenarioJob('lease-queued', at(T0 + 70_001))).toMatchObject({
          status: 'failed',
          error: SCENARIO_JOB_ABANDONED_ERROR,
          finishedMs: T0,
        });
        const listed = (await store.listScenarioJobs(at(T0 + 70_001))).filter((j) => j.id.startsWith('lease-'));
        expect(listed.map((j) => j.status)).toEqual(['failed', 'failed']);
        // The owner coming back late changes nothing: a reader may already have seen the job failed.
        expect(await store.recordScenarioJobProgress('lease-1', 2, at(T0 + 70_001))).toBe(false);
        expect(await store.finishScenarioJob('lease-1', [runResult(runs[0]!)], at(T0 + 70_001))).toBe(false);
        expect(await store.getScenarioJobResults('lease-1')).toBeUndefined();
        // Pruning stores the verdict, so it holds for a reader with a shorter view of time too.
        await store.pruneScenarioJobs(1_000, at(T0 + 70_001));
        expect(await store.getScenarioJob('lease-1', at(T0 + 10_000))).toMatchObject(abandoned);
      });

      it('fails the live jobs of an instance that stops, and only those', async () => {
        await store.createScenarioJob(newJob('stop-a1'), T0);
        await store.createScenarioJob(newJob('stop-a2'), T0);
        await store.createScenarioJob(newJob('stop-b1', 'instance-b'), T0);
        await store.recordScenarioJobProgress('stop-a2', 1, at(T0 + 1_000));
        await store.finishScenarioJob('stop-a1', [runResult(runs[0]!)], at(T0 + 2_000));
        expect(await store.failOwnedScenarioJobs('instance-a', SCENARIO_JOB_SHUTDOWN_ERROR, T0 + 3_000)).toBe(1);
        expect(await store.getScenarioJob('stop-a2', at(T0 + 3_000))).toMatchObject({
          status: 'failed',
          error: SCENARIO_JOB_SHUTDOWN_ERROR,
          finishedMs: T0 + 3_000,
        });
        expect((await store.getScenarioJob('stop-a1', at(T0 + 3_000)))?.status).toBe('done');
        expect((await store.getScenarioJob('stop-b1', at(T0 + 3_000)))?.status).toBe('queued');
        await store.failScenarioJob('stop-b1', 'done with it', at(T0 + 3_000));
      });

      it('keeps the newest finished jobs, deleting older finished ones but never a live one', async () => {
        const lease = at(T0 + 100_000, 3_600_000);
        await store.pruneScenarioJobs(0, lease);
        const evictIds = async () =>
          (await store.listScenarioJobs(lease)).filter((j) => j.id.startsWith('evict-')).map((j) => [j.id, j.status]);
        const finished = (await store.listScenarioJobs(lease)).filter((j) => ['done', 'failed'].includes(j.status));
        expect(finished).toEqual([]);
        for (const id of ['evict-1', 'evict-2', 'evict-3', 'evict-4', 'evict-5']) {
          await store.createScenarioJob(newJob(id), T0 + 50_000);
        }
        await store.finishScenarioJob('evict-1', [runResult(runs[0]!)], lease);
        await store.failScenarioJob('evict-2', 'bad seed', lease);
        await store.recordScenarioJobProgress('evict-3', 1, lease);
        await store.finishScenarioJob('evict-5', [runResult(runs[0]!)], lease);
        await store.finishScenarioJob('evict-4', [runResult(runs[0]!)], lease);
        expect(await store.pruneScenarioJobs(2, lease)).toBe(2);
        expect(await evictIds()).toEqual([
          ['evict-3', 'running'],
          ['evict-4', 'done'],
          ['evict-5', 'done'],
        ]);
        expect(await store.getScenarioJobResults('evict-1')).toBeUndefined();
        expect(await store.pruneScenarioJobs(2, lease)).toBe(0);
        // Abandoned, the oldest job is finished too (failed), and older than the newest two.
        expect(await store.pruneScenarioJobs(2, at(T0 + 100_000 + 3_600_001, 3_600_000))).toBe(1);
        expect(await evictIds()).toEqual([
          ['evict-4', 'done'],
          ['evict-5', 'done'],
        ]);
      });
    });

    describe('driver links', () => {
      it('makes one token per appointment of a site-day, keeps it, and opens nothing else with it', async () => {
        let n = 0;
        const make = () => `tok-${name}-${++n}`;
        const first = await store.ensureDriverLinks('s1', 1000, ['a', 'b'], make, 5);
        expect([...first.keys()].sort()).toEqual(['a', 'b']);
        const again = await store.ensureDriverLinks('s1', 1000, ['b', 'c'], make, 6);
        expect(again.get('b')).toBe(first.get('b'));
        expect(again.get('c')).toBeDefined();
        expect(new Set([first.get('a'), first.get('b'), again.get('c')]).size).toBe(3);
        // Another day or site: another token for the same appointment id.
        const otherDay = await store.ensureDriverLinks('s1', 2000, ['a'], make, 7);
        expect(otherDay.get('a')).not.toBe(first.get('a'));
        expect(await store.getDriverLink(first.get('a')!)).toEqual({
          token: first.get('a'),
          siteId: 's1',
          dayStartMs: 1000,
          appointmentId: 'a',
        });
        expect(await store.getDriverLink('tok-never-made')).toBeUndefined();
        // A token already taken by another appointment is not reused: a new one is made.
        const taken = first.get('a')!;
        let tries = 0;
        const collide = () => (++tries === 1 ? taken : `tok-${name}-fresh`);
        const fresh = await store.ensureDriverLinks('s2', 1000, ['z'], collide, 8);
        expect(fresh.get('z')).toBe(`tok-${name}-fresh`);
        expect((await store.getDriverLink(taken))?.appointmentId).toBe('a');
      });
    });

    describe('what-if catalogue', () => {
      const ids = async () => (await store.listWhatIfScenarios()).map((s) => s.id);

      it('stores a scenario with its files as put, and lists summaries without files, oldest first', async () => {
        expect(await store.listWhatIfScenarios()).toEqual([]);
        const district = whatIf('district', 'District', 'Hospital approach, 07:00–10:00');
        expect(await store.putWhatIfScenario(district, 20)).toBe(0);
        expect(await store.putWhatIfScenario(whatIf('grid'), 20)).toBe(0);
        const stored = await store.getWhatIfScenario('district');
        expect(stored).toEqual(district);
        expect(JSON.stringify(stored)).toBe(JSON.stringify(district));
        expect(Object.keys(stored!.files)).toEqual(['net.json', 'lots.yaml', 'appointments.csv']);
        expect(await store.listWhatIfScenarios()).toEqual([
          {
            id: 'district',
            name: 'District',
            description: 'Hospital approach, 07:00–10:00',
            policies: district.policies,
          },
          { id: 'grid', name: 'Scenario grid', policies: district.policies },
        ]);
        const [summary] = await store.listWhatIfScenarios();
        expect(summary).not.toHaveProperty('files');
        expect(summary).not.toHaveProperty('scenario');
        expect(await store.listWhatIfScenarios().then((l) => l[1])).not.toHaveProperty('description');
        expect(await store.getWhatIfScenario('nope')).toBeUndefined();
      });

      it('replaces a scenario offered again under its id, which becomes the newest', async () => {
        const again = { ...whatIf('district', 'District v2'), files: { 'net.json': '{}' } };
        expect(await store.putWhatIfScenario(again, 20)).toBe(0);
        expect(await ids()).toEqual(['grid', 'district']);
        expect(await store.getWhatIfScenario('district')).toEqual(again);
        expect((await store.listWhatIfScenarios())[1]).toEqual({
          id: 'district',
          name: 'District v2',
          policies: again.policies,
        });
      });

      it('keeps the newest scenarios, deleting the ones offered longest ago', async () => {
        expect(await store.putWhatIfScenario(whatIf('c1'), 3)).toBe(0);
        expect(await ids()).toEqual(['grid', 'district', 'c1']);
        expect(await store.putWhatIfScenario(whatIf('c2'), 3)).toBe(1);
        expect(await ids()).toEqual(['district', 'c1', 'c2']);
        expect(await store.getWhatIfScenario('grid')).toBeUndefined();
        // Offered again, the oldest is the newest: the next oldest goes instead.
        expect(await store.putWhatIfScenario(whatIf('district'), 3)).toBe(0);
        expect(await store.putWhatIfScenario(whatIf('c3'), 3)).toBe(1);
        expect(await ids()).toEqual(['c2', 'district', 'c3']);
        // A smaller cap trims at once, keeping the one just put.
        expect(await store.putWhatIfScenario(whatIf('c4'), 1)).toBe(3);
        expect(await ids()).toEqual(['c4']);
        expect(await store.getWhatIfScenario('c4')).toEqual(whatIf('c4'));
      });
    });
  });
}
