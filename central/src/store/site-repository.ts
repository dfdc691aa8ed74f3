import { withConfigVersion } from '../core/directives-doc.js';
import type { EdgeRecord, EdgeStatus } from '../core/edge-record.js';
import { gapSeqCount } from '../core/ingest-plan.js';
import type { SiteDefinition } from '../core/site-definition.js';
import { errors } from '../errors.js';
import type { SqlDirectivesRepository } from './directives-repository.js';
import { edgeStatusFromRow } from './rows.js';
import { compileStatements, type Dialect } from './sql-dialect.js';
import type { SqlRunner } from './sql-runner.js';
import type { SiteRepository } from './store.js';

const statements = (d: Dialect) => ({
  putSite: `INSERT INTO sites (site_id, definition_json, updated_ms) VALUES (:siteId, :definitionJson, :nowMs)
    ON CONFLICT (site_id) DO UPDATE SET definition_json = excluded.definition_json, updated_ms = excluded.updated_ms`,
  getSite: 'SELECT definition_json FROM sites WHERE site_id = :siteId',
  siteExists: 'SELECT 1 AS found FROM sites WHERE site_id = :siteId',
  listSites: 'SELECT definition_json FROM sites ORDER BY site_id',
  siteVersions: 'SELECT site_id, updated_ms FROM sites ORDER BY site_id',
  addEdge: `INSERT INTO edges (edge_id, site_id, created_ms) VALUES (:edgeId, :siteId, :nowMs) ON CONFLICT DO NOTHING`,
  // Locks the edge, so two rotations of one edge take turns.
  edgeForUpdate: `SELECT 1 AS found FROM edges WHERE edge_id = :edgeId${d.forUpdate}`,
  addSecret: 'INSERT INTO edge_secrets (edge_id, secret_hash, created_ms) VALUES (:edgeId, :secretHash, :nowMs)',
  keepNewestSecrets: `DELETE FROM edge_secrets WHERE edge_id = :edgeId AND secret_hash NOT IN
    (SELECT secret_hash FROM edge_secrets WHERE edge_id = :edgeId
      ORDER BY created_ms DESC, ${d.insertionOrder} DESC LIMIT :keep)`,
  // Read to authenticate sync batches (the route caches it for a few seconds): one statement, prepared once.
  edge: `SELECT e.site_id, e.created_ms, s.secret_hash FROM edges e LEFT JOIN edge_secrets s ON s.edge_id = e.edge_id
    WHERE e.edge_id = :edgeId ORDER BY s.created_ms DESC`,
  edgeStatus: `SELECT e.*, (SELECT count(*) FROM edge_secrets s WHERE s.edge_id = e.edge_id) AS secret_count
    FROM edges e WHERE site_id = :siteId ORDER BY edge_id`,
});

/** Sites and edges (see `SiteRepository`), written once for both engines. */
export class SqlSiteRepository implements SiteRepository {
  private readonly sql;

  constructor(
    private readonly db: SqlRunner,
    private readonly directives: SqlDirectivesRepository,
  ) {
    this.sql = compileStatements(statements, db.dialect);
  }

  async putSite(site: SiteDefinition, nowMs: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run(this.sql.putSite, { siteId: site.id, definitionJson: JSON.stringify(site), nowMs });
      const doc = await this.directives.load(tx, site.id, true);
      const next = withConfigVersion(doc, site.configVersion ?? '', nowMs);
      if (next !== doc || doc.version === 0) await this.directives.save(tx, site.id, next);
    });
  }

  async getSite(siteId: string): Promise<SiteDefinition | undefined> {
    const row = await this.db.get(this.sql.getSite, { siteId });
    return row ? (JSON.parse(String(row.definition_json)) as SiteDefinition) : undefined;
  }

  async listSites(): Promise<SiteDefinition[]> {
    return (await this.db.all(this.sql.listSites)).map((r) => JSON.parse(String(r.definition_json)) as SiteDefinition);
  }

  async listSiteVersions(): Promise<Array<{ siteId: string; updatedMs: number }>> {
    const rows = await this.db.all(this.sql.siteVersions);
    return rows.map((r) => ({ siteId: String(r.site_id), updatedMs: Number(r.updated_ms) }));
  }

  async addEdge(siteId: string, edgeId: string, secretHash: string, nowMs: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      if (!(await tx.get(this.sql.siteExists, { siteId }))) {
        throw errors.CB_SITE_UNKNOWN(`site "${siteId}" is not known: add it first`);
      }
      if ((await tx.run(this.sql.addEdge, { edgeId, siteId, nowMs })) === 0) {
        throw errors.CB_EDGE_EXISTS(`edge "${edgeId}" already exists`);
      }
      await tx.run(this.sql.addSecret, { edgeId, secretHash, nowMs });
    });
  }

  private async keepNewestSecrets(edgeId: string, keep: number, secretHash?: string, nowMs = 0): Promise<void> {
    await this.db.transaction(async (tx) => {
      if (!(await tx.get(this.sql.edgeForUpdate, { edgeId }))) {
        throw errors.CB_EDGE_UNKNOWN(`edge "${edgeId}" is not known`);
      }
      if (secretHash !== undefined) await tx.run(this.sql.addSecret, { edgeId, secretHash, nowMs });
      await tx.run(this.sql.keepNewestSecrets, { edgeId, keep });
    });
  }

  async addEdgeSecret(edgeId: string, secretHash: string, nowMs: number): Promise<void> {
    await this.keepNewestSecrets(edgeId, 2, secretHash, nowMs);
  }

  async dropOldEdgeSecrets(edgeId: string): Promise<void> {
    await this.keepNewestSecrets(edgeId, 1);
  }

  async getEdge(edgeId: string): Promise<EdgeRecord | undefined> {
    const rows = await this.db.all(this.sql.edge, { edgeId });
    const first = rows[0];
    if (!first) return undefined;
    return {
      edgeId,
      siteId: String(first.site_id),
      createdMs: Number(first.created_ms),
      secretHashes: rows.filter((r) => r.secret_hash !== null).map((r) => String(r.secret_hash)),
    };
  }

  async listEdgeStatus(siteId: string): Promise<EdgeStatus[]> {
    const rows = await this.db.all(this.sql.edgeStatus, { siteId });
    return rows.map((r) => edgeStatusFromRow(r, gapSeqCount(JSON.parse(String(r.gaps_json)))));
  }
}
