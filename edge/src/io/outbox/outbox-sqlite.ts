/**
 * The outbox in SQLite (better-sqlite3): WAL journal with `synchronous=FULL`, so a summary is on
 * disk once `append` returns and the file survives power loss or `kill -9` at any point. Bounded:
 * past `maxSummaries` the oldest waiting summaries are merged into coarser ones (reported, never
 * silently dropped).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { messages, SEQ_LIMIT, type SiteSummary } from '@citybay/proto';
import Database from 'better-sqlite3';
import { canMerge, mergeSummaries } from '../../core/summary-merge.js';
import { errors } from '../../errors.js';
import type { CompactionReport, Outbox, OutboxStats } from './outbox.js';

export interface SqliteOutboxOptions {
  /** Database file; its directory is created if missing. */
  path: string;
  /** Most summaries kept; beyond, the oldest are compacted. Default 200000. */
  maxSummaries?: number;
  /** How many summaries one compacted summary stands for. Default 10. */
  compactFactor?: number;
}

const toPlain = { longs: Number, enums: Number, bytes: Uint8Array, defaults: false, arrays: true } as const;

function encode(summary: SiteSummary): Uint8Array {
  return messages.SiteSummary.encode(summary).finish();
}

function decode(body: Uint8Array): SiteSummary {
  return messages.SiteSummary.toObject(messages.SiteSummary.decode(body), toPlain) as SiteSummary;
}

export class SqliteOutbox implements Outbox {
  private readonly db: Database.Database;
  private readonly maxSummaries: number;
  private readonly compactFactor: number;
  private readonly statements;
  private last: number;
  private acked: number;
  private depthCount: number;

  constructor(options: SqliteOutboxOptions) {
    this.maxSummaries = options.maxSummaries ?? 200_000;
    this.compactFactor = options.compactFactor ?? 10;
    try {
      mkdirSync(dirname(options.path), { recursive: true });
      this.db = new Database(options.path);
      this.db.pragma('journal_mode = WAL');
      // FULL: the WAL is fsync'd at every commit, so an acknowledged append is never lost on power failure.
      this.db.pragma('synchronous = FULL');
      this.db.pragma('busy_timeout = 5000');
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS summaries (
          seq INTEGER PRIMARY KEY,
          window_end_ms INTEGER NOT NULL,
          compacted_count INTEGER NOT NULL,
          body BLOB NOT NULL
        );
        CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      `);
    } catch (cause) {
      throw errors.CB_OUTBOX_UNAVAILABLE(`${options.path}: cannot open the outbox: ${(cause as Error).message}`, {
        cause,
      });
    }
    this.statements = {
      insert: this.db.prepare('INSERT INTO summaries (seq, window_end_ms, compacted_count, body) VALUES (?, ?, ?, ?)'),
      peek: this.db.prepare('SELECT body FROM summaries ORDER BY seq LIMIT ?'),
      oldest: this.db.prepare('SELECT seq, body FROM summaries ORDER BY seq LIMIT ?'),
      deleteUpTo: this.db.prepare('DELETE FROM summaries WHERE seq <= ?'),
      deleteSeq: this.db.prepare('DELETE FROM summaries WHERE seq = ?'),
      count: this.db.prepare('SELECT count(*) AS n FROM summaries'),
      stats: this.db.prepare(
        'SELECT count(*) AS n, coalesce(sum(length(body)), 0) AS bytes, min(window_end_ms) AS oldest FROM summaries',
      ),
      maxSeq: this.db.prepare('SELECT max(seq) AS seq FROM summaries'),
      getState: this.db.prepare('SELECT value FROM state WHERE key = ?'),
      setState: this.db.prepare(
        'INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      ),
    };
    const storedLast = Number(this.getState('last_seq') ?? 0);
    const maxRow = Number((this.statements.maxSeq.get() as { seq: number | null }).seq ?? 0);
    this.last = Math.max(storedLast, maxRow);
    this.acked = Number(this.getState('acked_seq') ?? 0);
    this.depthCount = (this.statements.count.get() as { n: number }).n;
  }

  lastSeq(): number {
    return this.last;
  }

  ackedSeq(): number {
    return this.acked;
  }

  append(summary: SiteSummary): CompactionReport | undefined {
    const seq = summary.seq ?? 0;
    if (seq !== this.last + 1) {
      throw errors.CB_OUTBOX_SEQ(`summary seq ${seq} does not follow the outbox's last seq ${this.last}`);
    }
    if (seq >= SEQ_LIMIT) {
      throw errors.CB_OUTBOX_SEQ_LIMIT(`summary seq ${seq} is past the wire contract's bound 2^48`);
    }
    const body = encode(summary);
    this.db.transaction(() => {
      this.statements.insert.run(seq, summary.windowEndMs ?? 0, Math.max(1, summary.compactedCount ?? 1), body);
      this.statements.setState.run('last_seq', String(seq));
    })();
    this.last = seq;
    this.depthCount++;
    return this.depthCount > this.maxSummaries ? this.compact() : undefined;
  }

  /** Merges the oldest tenth of the waiting summaries, `compactFactor` at a time. */
  private compact(): CompactionReport | undefined {
    const take = Math.max(this.compactFactor, Math.floor(this.maxSummaries / 10));
    const rows = this.statements.oldest.all(take) as { seq: number; body: Uint8Array }[];
    const summaries = rows.map((r) => decode(r.body));
    const groups: SiteSummary[][] = [];
    for (const summary of summaries) {
      const group = groups[groups.length - 1];
      if (group && group.length < this.compactFactor && canMerge(group[group.length - 1]!, summary))
        group.push(summary);
      else groups.push([summary]);
    }
    const merged = groups.filter((g) => g.length > 1);
    if (merged.length === 0) return undefined;
    let removed = 0;
    this.db.transaction(() => {
      for (const group of merged) {
        for (const s of group) this.statements.deleteSeq.run(s.seq);
        const result = mergeSummaries(group);
        this.statements.insert.run(result.seq, result.windowEndMs ?? 0, result.compactedCount ?? 1, encode(result));
        removed += group.length - 1;
      }
      this.statements.setState.run('compactions', String(Number(this.getState('compactions') ?? 0) + 1));
    })();
    this.depthCount -= removed;
    const mergedCount = merged.reduce((n, g) => n + g.length, 0);
    return {
      mergedSummaries: mergedCount,
      resultingSummaries: merged.length,
      firstSeq: merged[0]![0]!.seq ?? 0,
      lastSeq: merged[merged.length - 1]!.at(-1)!.seq ?? 0,
    };
  }

  peek(limit: number, maxBytes = Number.POSITIVE_INFINITY): SiteSummary[] {
    const out: SiteSummary[] = [];
    let bytes = 0;
    for (const row of this.statements.peek.iterate(limit) as Iterable<{ body: Uint8Array }>) {
      if (out.length > 0 && bytes + row.body.length > maxBytes) break;
      bytes += row.body.length;
      out.push(decode(row.body));
    }
    return out;
  }

  ack(seq: number): number {
    if (seq <= this.acked) return 0;
    let deleted = 0;
    this.db.transaction(() => {
      deleted = this.statements.deleteUpTo.run(seq).changes;
      this.statements.setState.run('acked_seq', String(seq));
    })();
    this.acked = seq;
    this.depthCount -= deleted;
    return deleted;
  }

  renumberAfter(seq: number): number {
    // Checked before anything changes: the outbox never numbers past the bound, whatever central acknowledges.
    if (!Number.isSafeInteger(seq) || seq < 0 || seq + this.depthCount >= SEQ_LIMIT) {
      throw errors.CB_OUTBOX_SEQ_LIMIT(
        `renumbering ${this.depthCount} waiting summaries after seq ${seq} would pass the wire contract's bound 2^48`,
      );
    }
    const rows = this.statements.oldest.all(Number.MAX_SAFE_INTEGER) as { seq: number; body: Uint8Array }[];
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM summaries').run();
      rows.forEach((row, i) => {
        // Numbered one after another, each summary stands for itself in the new numbering.
        const summary = { ...decode(row.body), seq: seq + 1 + i, mergedFromSeq: 0 };
        this.statements.insert.run(
          summary.seq,
          summary.windowEndMs ?? 0,
          Math.max(1, summary.compactedCount ?? 1),
          encode(summary),
        );
      });
      this.last = seq + rows.length;
      this.acked = seq;
      this.statements.setState.run('last_seq', String(this.last));
      this.statements.setState.run('acked_seq', String(seq));
    })();
    return this.last;
  }

  getState(key: string): string | undefined {
    return (this.statements.getState.get(key) as { value: string } | undefined)?.value;
  }

  setState(key: string, value: string): void {
    this.statements.setState.run(key, value);
  }

  stats(): OutboxStats {
    const row = this.statements.stats.get() as { n: number; bytes: number; oldest: number | null };
    return {
      depth: row.n,
      bytes: row.bytes,
      lastSeq: this.last,
      ackedSeq: this.acked,
      compactions: Number(this.getState('compactions') ?? 0),
      oldestWindowEndMs: row.oldest,
    };
  }

  /** Folds the WAL back into the database file and closes it. */
  close(): void {
    if (!this.db.open) return;
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }
}
