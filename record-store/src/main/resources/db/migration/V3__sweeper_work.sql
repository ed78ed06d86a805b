-- sweeper-service's work on DEKs (docs/architecture.md, "Sweeper").
-- A lease claims a DEK for one sweeper replica while it calls Key Vault: claimed in a short
-- transaction with FOR UPDATE SKIP LOCKED, then held without a transaction (ingest's checkpoint
-- updates of the same row never wait for Key Vault). An expired lease can be claimed again.
ALTER TABLE dek ADD COLUMN lease_owner varchar(64);
ALTER TABLE dek ADD COLUMN lease_until timestamptz;
CREATE INDEX dek_by_customer_key ON dek (tenant_id, customer_key_id);

-- Crypto-period re-encryption: the DEK an old DEK's records move to. Survives a crash, so a
-- restarted sweeper resumes with the same target; records already moved are not touched again.
-- corrupted_records > 0: records that failed authentication stay under the old DEK, which is then
-- kept (never destroyed with data still under it) and not claimed again; an operator decides.
CREATE TABLE reencryption (
    old_dek_id         uuid         PRIMARY KEY,
    tenant_id          varchar(64)  NOT NULL,
    target_dek_id      uuid         NOT NULL,
    started_at         timestamptz  NOT NULL,
    corrupted_records  bigint       NOT NULL DEFAULT 0
);
-- finding an old DEK's records; costs ingest one more index entry per row (docs/benchmarks.md)
CREATE INDEX activity_by_dek ON activity_record (dek_id, event_id);

-- Offboarded tenants: their DEKs are destroyed first (crypto-shredding), then their records deleted.
CREATE TABLE shredded_tenant (
    tenant_id           varchar(64)  PRIMARY KEY,
    requested_at        timestamptz  NOT NULL,
    keys_destroyed_at   timestamptz,
    records_deleted_at  timestamptz
);
