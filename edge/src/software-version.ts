/** The edge's version, from its package.json: in every summary, the start-up log line and `/healthz`. */
import { readFileSync } from 'node:fs';

export const SOFTWARE_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
