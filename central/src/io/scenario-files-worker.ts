import { gunzipSync } from 'node:zlib';
import {
  checkScenarioReferences,
  parseScenarioDocument,
  parseScenarioFile,
  type ResolvedScenario,
  resolveScenario,
} from '@citybay/sim';
import { errors } from '../errors.js';

// Piscina worker (task map) that reads engineers' scenario submissions: the scenario and every file it names, through
// sim's own loader. A city's SUMO network is megabytes of XML that takes a second or more to parse; here it does
// not hold central's event loop (edge syncs, /healthz) meanwhile.

/** Most characters a gzipped file (`*.gz`, sent as base64) may unzip to: 32 Mi. */
export const MAX_UNZIPPED_CHARS = 32 * 1024 * 1024;

/** What `POST /v1/scenarios` sends: the scenario (YAML text or object) and the files it names by name. */
export interface ScenarioSubmissionFiles {
  scenario: string | Record<string, unknown>;
  files: Record<string, string>;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * A file's text: as sent, or for a name ending in `.gz` (SUMO's `.net.xml.gz`, netconvert's and duarouter's
 * gzipped output) the unzipped text of the base64 it was sent as.
 */
function fileText(name: string, sent: string): string {
  if (!name.endsWith('.gz')) return sent;
  const path = `body.files.${name}`;
  const base64 = sent.replace(/\s+/g, '');
  if (!BASE64.test(base64) || base64.length % 4 !== 0) {
    throw errors.CB_HTTP_BAD_REQUEST(`${path}: a .gz file is sent as base64, and this is not base64`, { path });
  }
  try {
    return gunzipSync(Buffer.from(base64, 'base64'), { maxOutputLength: MAX_UNZIPPED_CHARS }).toString('utf8');
  } catch (err) {
    const isTooBig = (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
    throw errors.CB_HTTP_BAD_REQUEST(
      isTooBig
        ? `${path}: unzips to more than ${MAX_UNZIPPED_CHARS} bytes`
        : `${path}: not gzip data (${(err as Error).message})`,
      { path },
    );
  }
}

/**
 * The submission's scenario with every file it names, through sim's own loader (the one the CLI uses): files come
 * from `files` instead of the disk. A scenario sent as an object is validated as it is, not printed and parsed again.
 * A bad reference is a bad submission (400), not a failed job, so it is checked here rather than in every run.
 */
export function resolveSubmission(body: ScenarioSubmissionFiles): ResolvedScenario {
  const fileName = 'body.scenario';
  const document =
    typeof body.scenario === 'string'
      ? parseScenarioFile(body.scenario, fileName)
      : parseScenarioDocument(body.scenario, fileName);
  const resolved = resolveScenario(document, fileName, (name, field) => {
    const text = Object.hasOwn(body.files, name) ? body.files[name] : undefined;
    if (text === undefined) {
      throw errors.CB_HTTP_BAD_REQUEST(
        `body.files: the scenario's ${field} names "${name}", which is not in files (${Object.keys(body.files).join(', ') || 'none'})`,
        { path: `body.files.${name}` },
      );
    }
    return fileText(name, text);
  });
  checkScenarioReferences(resolved);
  return resolved;
}
