import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { parseScenarioFile } from '@citybay/sim';
import type { Logger } from 'pino';

export interface RegisterScenarioOptions {
  centralUrl: string;
  operatorKey: string;
  scenarioPath: string;
  logger: Logger;
}

/**
 * Offers the twin's scenario on the dashboard's what-if page: the scenario file and the files it names, as
 * central's scenario API takes them.
 */
export async function registerWhatIfScenario(options: RegisterScenarioOptions): Promise<void> {
  const text = readFileSync(options.scenarioPath, 'utf8');
  const document = parseScenarioFile(text, options.scenarioPath);
  const base = dirname(resolve(options.scenarioPath));
  const names = [document.network, document.lots];
  const source = document.demand.appointments;
  if ('file' in source) names.push(source.file);
  const files = Object.fromEntries(names.map((name) => [name, readFileSync(resolve(base, name), 'utf8')]));
  const id = document.name.replace(/[^A-Za-z0-9._:-]/g, '-') || basename(options.scenarioPath);
  const body = {
    id,
    name: document.name,
    ...(document.description === undefined ? {} : { description: document.description }),
    policies: document.policies.map((p) => p.name),
    scenario: text,
    files,
  };
  try {
    const response = await fetch(`${options.centralUrl}/v1/dashboard/scenarios/${encodeURIComponent(id)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.operatorKey}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) {
      options.logger.warn(
        { status: response.status, body: (await response.text()).slice(0, 300) },
        'what-if scenario not registered',
      );
      return;
    }
    options.logger.info({ scenario: id }, 'scenario offered on the what-if page');
  } catch (err) {
    options.logger.warn({ err }, 'what-if scenario not registered');
  }
}
