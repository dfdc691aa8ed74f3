const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const SKIP = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'name', 'v', 'siteId', 'edgeId', 'reqId']);

/** One line of a child's output made readable: pino JSON becomes `12:00:01 WARN message key=value`. */
export function formatLogLine(line: string): string {
  if (!line.startsWith('{')) return line;
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const time = typeof record.time === 'number' ? new Date(record.time).toISOString().slice(11, 19) : '';
  const level = LEVELS[record.level as number] ?? String(record.level ?? '');
  const extras: string[] = [];
  for (const [key, value] of Object.entries(record)) {
    if (SKIP.has(key)) continue;
    if (key === 'err' && typeof value === 'object' && value !== null) {
      const err = value as { type?: string; code?: string; message?: string };
      extras.push(`err=${err.code ?? err.type ?? 'Error'}: ${err.message ?? ''}`);
      continue;
    }
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    extras.push(`${key}=${text.length > 120 ? `${text.slice(0, 117)}...` : text}`);
  }
  return `${time} ${level.padEnd(5)} ${String(record.msg ?? '')}${extras.length > 0 ? `  ${extras.join(' ')}` : ''}`;
}

/** The pino level number of a JSON log line, or undefined for plain text. */
export function logLevelOf(line: string): number | undefined {
  if (!line.startsWith('{')) return undefined;
  const match = /"level":(\d+)/.exec(line);
  return match === null ? undefined : Number(match[1]);
}
