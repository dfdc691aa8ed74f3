// Apart from the schema checks so that the worker threads, which read no files, do not load TypeBox and the YAML
// parser (about 100 ms of every worker's start).

/** Parses `HH:MM` (00:00–24:00) to minutes after midnight, or undefined when malformed. */
export function parseClockMin(text: string): number | undefined {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (match === null) return undefined;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59 || hours * 60 + minutes > 24 * 60) return undefined;
  return hours * 60 + minutes;
}
