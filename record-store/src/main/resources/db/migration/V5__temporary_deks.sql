-- Temporary DEKs (docs/architecture.md, "Temporary DEKs"). A BYOK tenant's DEK that was ever stored
-- without its customer layer can be opened by anyone who holds a copy of that row (a backup, a
-- replica, WAL) and the managed keys, for as long as its records exist. So it is temporary: its
-- records move to a DEK that was born customer-wrapped, and it is destroyed.
-- born_protected: first stored with its customer layer, never managed-only since.
ALTER TABLE dek ADD COLUMN born_protected boolean NOT NULL DEFAULT false;
-- seal_until: no process seals new records under the DEK after this time (its creator honours it).
-- NULL in rows written before it existed: created_at plus the deployment's DEK max age.
ALTER TABLE dek ADD COLUMN seal_until timestamptz;
CREATE INDEX dek_temporary ON dek (tenant_id, created_at) WHERE NOT born_protected;
