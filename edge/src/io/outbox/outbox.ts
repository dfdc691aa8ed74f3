/**
 * The durable outbox: seq-numbered summaries waiting for central's acknowledgement, and the little
 * state that must survive a restart with them (acknowledged seq, directives, gate counts). Types
 * only; `outbox-sqlite.ts` is the implementation.
 */
import type { SiteSummary } from '@citybay/proto';

/** What a compaction did, for logs and metrics. */
export interface CompactionReport {
  /** Summaries merged. */
  mergedSummaries: number;
  /** Summaries they became. */
  resultingSummaries: number;
  firstSeq: number;
  lastSeq: number;
}

export interface OutboxStats {
  /** Summaries waiting (not yet acknowledged). */
  depth: number;
  /** Bytes of the waiting summaries (encoded). */
  bytes: number;
  lastSeq: number;
  ackedSeq: number;
  /** Compactions since the outbox was created. */
  compactions: number;
  /** Clock time (ms) of the end of the oldest waiting summary's window, `null` when empty. */
  oldestWindowEndMs: number | null;
}

export interface Outbox {
  /** Highest seq ever appended (0 when none): the builder continues from here after a restart. */
  lastSeq(): number;
  /** Highest seq central acknowledged (0 when none). */
  ackedSeq(): number;
  /**
   * Appends a summary durably (it survives power loss once this returns). Its seq must be
   * `lastSeq() + 1`. Returns the compaction done to make room, if one was needed.
   */
  append(summary: SiteSummary): CompactionReport | undefined;
  /** The oldest waiting summaries, in seq order, at most `limit` of them and about `maxBytes`. */
  peek(limit: number, maxBytes?: number): SiteSummary[];
  /** Deletes everything up to `seq` (central stored it); returns how many were deleted. */
  ack(seq: number): number;
  /**
   * Renumbers the waiting summaries to follow `seq` (and moves `lastSeq` with them): for when central
   * already holds higher seqs from this edge than the outbox knows, e.g. after the outbox file was lost.
   * Returns the new last seq.
   */
  renumberAfter(seq: number): number;
  getState(key: string): string | undefined;
  setState(key: string, value: string): void;
  stats(): OutboxStats;
  close(): void;
}
