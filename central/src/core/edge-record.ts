// What central knows of its edges: identity and secrets (sites-and-edges aggregate), and how each one syncs.

/** What central knows of one edge, including its secret hashes (hex SHA-256; at most two during rotation). */
export interface EdgeRecord {
  edgeId: string;
  siteId: string;
  secretHashes: string[];
  createdMs: number;
}

export interface EdgeStatus {
  edgeId: string;
  siteId: string;
  ackedSeq: number;
  missingSeqCount: number;
  lastSeenMs: number;
  softwareVersion: string;
  configVersion: string;
  directivesVersionApplied: number;
  directivesVersionSent: number;
  secretCount: number;
}

/** One directives version sent to an edge with a sync acknowledgement. */
export interface DirectivesLogEntry {
  siteId: string;
  edgeId: string;
  version: number;
  sentMs: number;
}
