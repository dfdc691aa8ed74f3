import type { FastifyInstance } from 'fastify';
import { vi } from 'vitest';
import { ENGINEER_KEY } from './test-app.js';

// A small district (1.5 km street, a hospital lot and an overflow lot), light demand so the runs are quick.
export const NETWORK = `nodes:
  - { id: w, x: -1500, y: 0 }
  - { id: m, x: -750, y: 0 }
  - { id: h, x: 0, y: 0 }
  - { id: e, x: 400, y: 0 }
  - { id: f, x: 1000, y: 0 }
  - { id: hl, x: 0, y: 200 }
  - { id: pl, x: 400, y: 150 }
edges:
  - { id: in_w1, from: w, to: m, speedKmh: 50 }
  - { id: in_w2, from: m, to: h, speedKmh: 50 }
  - { id: h_e, from: h, to: e, speedKmh: 50 }
  - { id: e_f, from: e, to: f, speedKmh: 50 }
  - { id: f_e, from: f, to: e, speedKmh: 50 }
  - { id: e_h, from: e, to: h, speedKmh: 50 }
  - { id: h_m, from: h, to: m, speedKmh: 50 }
  - { id: m_w, from: m, to: w, speedKmh: 50 }
  - { id: h_gate, from: h, to: hl, speedKmh: 20 }
  - { id: p_gate, from: e, to: pl, speedKmh: 20 }
`;
export const LOTS = `lots:
  - { id: H, entryEdgeId: h_gate, gateServiceVehPerMin: 8, capacityByKind: { standard: 60, accessible: 4 }, walkTimeSByEntrance: { main: 60 } }
  - { id: P, entryEdgeId: p_gate, gateServiceVehPerMin: 6, capacityByKind: { standard: 120 }, walkTimeSByEntrance: { main: 240 } }
`;
export const SCENARIO = {
  name: 'small-district',
  network: 'network.yaml',
  lots: 'lots.yaml',
  lotRoles: { H: 'hospital', P: 'overflow' },
  date: '2026-03-02T00:00:00+01:00',
  period: { from: '07:00', to: '08:30' },
  seed: 7,
  demand: {
    appointments: {
      generate: {
        visitsPerDay: 150,
        hourlyWeights: [0, 0, 0, 0, 0, 0, 0, 3, 4, 3, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        durationMin: { mean: 40, sd: 15, min: 10 },
        entranceWeights: { main: 1 },
        accessibleShare: 0.03,
        familyShare: 0,
        evShare: 0,
      },
    },
    carShare: 0.7,
    noShowShare: 0.05,
    dropOffShare: 0.1,
    dropOffEdgeIds: ['h_e', 'h_m'],
    arrivalBeforeMin: { mean: 20, sd: 8, min: 0, max: 60 },
    extraStayMin: { mean: 90, sd: 20, min: 20 },
    origins: [
      { edgeId: 'in_w1', share: 0.7 },
      { edgeId: 'f_e', share: 0.3 },
    ],
    drivers: { searchShare: 0.2, knowsSharedLotsShare: 0.3, signCompliance: 0.8 },
  },
  signs: [{ id: 'S1', edgeId: 'in_w1' }],
  approach: [
    ['h_gate', 'in_w2', 'in_w1'],
    ['h_gate', 'e_h', 'f_e'],
  ],
  policies: [{ name: 'baseline' }, { name: 'signs', guidance: 'signs' }],
};

export const engineer = { authorization: `Bearer ${ENGINEER_KEY}` };

/** The small district scenario with its files, as `POST /v1/scenarios` takes it, optionally as a sweep. */
export function districtSubmission(sweep?: { policies?: string[]; seeds?: number[] }, lots = LOTS) {
  return { scenario: SCENARIO, files: { 'network.yaml': NETWORK, 'lots.yaml': lots }, ...(sweep ? { sweep } : {}) };
}

export interface JobStatus {
  id: string;
  status: string;
  progress: { completedRuns: number; totalRuns: number };
  error?: string;
}

/** Polls a job's status on `app` until it is done or failed; fails after `deadlineMs`, naming the job's last state. */
export function waitForJob(app: FastifyInstance, id: string, deadlineMs = 60_000): Promise<JobStatus> {
  return vi.waitFor(
    async () => {
      const res = await app.inject({ method: 'GET', url: `/v1/scenarios/${id}`, headers: engineer });
      const job = res.json() as JobStatus;
      if (job.status !== 'done' && job.status !== 'failed')
        throw new Error(`job ${id} not finished within ${deadlineMs} ms: ${JSON.stringify(job)}`);
      return job;
    },
    { timeout: deadlineMs, interval: 100 },
  );
}

/** The small district as the what-if page's catalogue takes it (`PUT /v1/dashboard/scenarios/:id`). */
export function districtWhatIf(id = 'small-district', name = 'Small district') {
  return {
    id,
    name,
    description: 'Hospital H and overflow lot P, 07:00–08:30',
    policies: SCENARIO.policies.map((p) => p.name),
    scenario: JSON.stringify(SCENARIO, null, 2),
    files: { 'network.yaml': NETWORK, 'lots.yaml': LOTS },
  };
}
