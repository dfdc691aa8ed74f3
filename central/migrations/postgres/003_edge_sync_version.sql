-- Optimistic concurrency for ingest: a batch is written only if the edge's row is still at the version read.
ALTER TABLE edges ADD COLUMN sync_version BIGINT NOT NULL DEFAULT 0;
