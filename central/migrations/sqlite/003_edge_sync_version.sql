-- Kept in step with PostgreSQL's schema (where ingest uses it for optimistic concurrency); SQLite has one writer.
ALTER TABLE edges ADD COLUMN sync_version INTEGER NOT NULL DEFAULT 0;
