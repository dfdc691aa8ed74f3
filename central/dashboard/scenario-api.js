// Central's engineer API for what-if runs: the catalogue the demo registers (/v1/dashboard/scenarios) and the
// scenario jobs (/v1/scenarios: submit, poll, then KPIs and time series).
/* global fetch */

async function call(key, method, path, body) {
  const response = await fetch(path, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!response.ok)
    throw new Error(json?.message ? `${json.code}: ${json.message}` : `${method} ${path} answered ${response.status}`);
  return json;
}

export const scenarioApi = {
  /** [{ id, name, policies }] */
  async list(key) {
    return (await call(key, 'GET', '/v1/dashboard/scenarios')).scenarios;
  },

  /** Runs `policies` of a catalogue scenario and returns [{ policy, seed, kpis, series }] in the order asked. */
  async compare(key, { scenarioId, policies, seed, onProgress, wait }) {
    const bundle = await call(key, 'GET', `/v1/dashboard/scenarios/${encodeURIComponent(scenarioId)}`);
    const sweep = { policies, ...(seed === undefined ? {} : { seeds: [seed] }) };
    let job = await call(key, 'POST', '/v1/scenarios', { scenario: bundle.scenario, files: bundle.files, sweep });
    while (job.status === 'queued' || job.status === 'running') {
      onProgress(job.progress.totalRuns > 0 ? job.progress.completedRuns / job.progress.totalRuns : 0);
      await wait(500);
      job = await call(key, 'GET', `/v1/scenarios/${job.id}`);
    }
    if (job.status !== 'done') throw new Error(job.error ?? `the job ended ${job.status}`);
    onProgress(1);
    const [kpis, series] = await Promise.all([
      call(key, 'GET', `/v1/scenarios/${job.id}/kpis`),
      call(key, 'GET', `/v1/scenarios/${job.id}/series`),
    ]);
    return kpis.runs.map((run, i) => ({ ...run, series: series.runs[i].series, reportUrl: job.links?.report }));
  },
};
