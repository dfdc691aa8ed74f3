import type { BayReservation, Directives, LotOverride, SignOverride } from '@citybay/proto';
import {
  type DirectivesDoc,
  directivesForWire,
  emptyDirectivesDoc,
  withLotOverride,
  withoutLotOverride,
  withoutSignOverride,
  withReservations,
  withSignOverride,
} from '../core/directives-doc.js';
import type { DirectivesLogEntry } from '../core/edge-record.js';
import { errors } from '../errors.js';
import type { DirectivesCache } from './directives-cache.js';
import { compileStatements, type Dialect } from './sql-dialect.js';
import type { SqlRunner } from './sql-runner.js';
import type { DirectivesRepository } from './store.js';

const statements = (d: Dialect) => ({
  siteExists: 'SELECT 1 AS found FROM sites WHERE site_id = :siteId',
  version: 'SELECT version FROM site_directives WHERE site_id = :siteId',
  // Taken before a change, so two instances changing one site's directives take turns.
  versionForUpdate: `SELECT version FROM site_directives WHERE site_id = :siteId${d.forUpdate}`,
  doc: 'SELECT doc_json FROM site_directives WHERE site_id = :siteId',
  put: `INSERT INTO site_directives (site_id, version, doc_json) VALUES (:siteId, :version, :docJson)
    ON CONFLICT (site_id) DO UPDATE SET version = excluded.version, doc_json = excluded.doc_json`,
  log: 'SELECT * FROM directives_log WHERE site_id = :siteId ORDER BY id DESC LIMIT :limit',
});

/** Each site's directives (see `DirectivesRepository`), written once for both engines. */
export class SqlDirectivesRepository implements DirectivesRepository {
  private readonly sql;

  constructor(
    private readonly db: SqlRunner,
    private readonly cache: DirectivesCache,
  ) {
    this.sql = compileStatements(statements, db.dialect);
  }

  /** The document at `version` (read only when the cache holds another). */
  async docAt(on: SqlRunner, siteId: string, version: number): Promise<DirectivesDoc> {
    const cached = this.cache.get(siteId, version);
    if (cached) return cached;
    const row = await on.get(this.sql.doc, { siteId });
    const doc = row ? (JSON.parse(String(row.doc_json)) as DirectivesDoc) : emptyDirectivesDoc();
    this.cache.set(siteId, doc);
    return doc;
  }

  /** The stored document, locked until `on`'s transaction ends when `forUpdate`. */
  async load(on: SqlRunner, siteId: string, forUpdate = false): Promise<DirectivesDoc> {
    const row = await on.get(forUpdate ? this.sql.versionForUpdate : this.sql.version, { siteId });
    return row ? this.docAt(on, siteId, Number(row.version)) : emptyDirectivesDoc();
  }

  async save(on: SqlRunner, siteId: string, doc: DirectivesDoc): Promise<void> {
    await on.run(this.sql.put, { siteId, version: doc.version, docJson: JSON.stringify(doc) });
  }

  /** Applies `change` to a known site's directives inside `tx`; a change that returns the same doc stores nothing. */
  async change(tx: SqlRunner, siteId: string, change: (doc: DirectivesDoc) => DirectivesDoc): Promise<Directives> {
    if (!(await tx.get(this.sql.siteExists, { siteId }))) {
      throw errors.CB_SITE_UNKNOWN(`site "${siteId}" is not known`);
    }
    const before = await this.load(tx, siteId, true);
    const after = change(before);
    if (after !== before) await this.save(tx, siteId, after);
    return directivesForWire(siteId, after, 0);
  }

  private changeAlone(siteId: string, change: (doc: DirectivesDoc) => DirectivesDoc): Promise<Directives> {
    return this.db.transaction((tx) => this.change(tx, siteId, change));
  }

  async getDirectives(siteId: string): Promise<Directives> {
    return directivesForWire(siteId, await this.load(this.db, siteId), 0);
  }
  async putLotOverride(siteId: string, override: LotOverride, nowMs: number): Promise<Directives> {
    return this.changeAlone(siteId, (doc) => withLotOverride(doc, override, nowMs));
  }
  async removeLotOverride(siteId: string, lotId: string, zoneId: string, nowMs: number): Promise<Directives> {
    return this.changeAlone(siteId, (doc) => withoutLotOverride(doc, lotId, zoneId, nowMs));
  }
  async putSignOverride(siteId: string, override: SignOverride, nowMs: number): Promise<Directives> {
    return this.changeAlone(siteId, (doc) => withSignOverride(doc, override, nowMs));
  }
  async removeSignOverride(siteId: string, signId: string, nowMs: number): Promise<Directives> {
    return this.changeAlone(siteId, (doc) => withoutSignOverride(doc, signId, nowMs));
  }
  async updateReservations(
    siteId: string,
    upsert: readonly BayReservation[],
    removeIds: readonly string[],
    nowMs: number,
  ): Promise<Directives> {
    return this.changeAlone(siteId, (doc) => withReservations(doc, upsert, removeIds, nowMs));
  }

  async listDirectivesLog(siteId: string, limit: number): Promise<DirectivesLogEntry[]> {
    const rows = await this.db.all(this.sql.log, { siteId, limit });
    return rows.map((r) => ({
      siteId: String(r.site_id),
      edgeId: String(r.edge_id),
      version: Number(r.version),
      sentMs: Number(r.sent_ms),
    }));
  }
}
