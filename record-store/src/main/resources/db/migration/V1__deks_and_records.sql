-- One row per data-encryption key. wrapped is the WrappedDek v1 encoding (managed layer, and the
-- customer layer over it for BYOK tenants). pending: a BYOK tenant's DEK still waiting for its
-- customer layer (written before enable, during a key outage or while locked); the sweeper protects it.
CREATE TABLE dek (
    id               uuid          PRIMARY KEY,
    tenant_id        varchar(64)   NOT NULL,
    wrapped          bytea         NOT NULL,
    customer_key_id  varchar(1024),
    pending          boolean       NOT NULL,
    created_at       timestamptz   NOT NULL,
    records_sealed   bigint        NOT NULL DEFAULT 0
);
CREATE INDEX dek_by_tenant ON dek (tenant_id, created_at);
CREATE INDEX dek_pending ON dek (tenant_id) WHERE pending;

-- One row per activity event, sealed by its tenant's DEK (RecordEnvelope v1). The primary key makes
-- redelivered events a no-op: at-least-once delivery, exactly-once storage.
CREATE TABLE activity_record (
    tenant_id    varchar(64)  NOT NULL,
    event_id     varchar(128) NOT NULL,
    dek_id       uuid         NOT NULL REFERENCES dek (id),
    envelope     bytea        NOT NULL,
    occurred_at  timestamptz  NOT NULL,
    ingested_at  timestamptz  NOT NULL,
    PRIMARY KEY (tenant_id, event_id)
);
CREATE INDEX activity_by_time ON activity_record (tenant_id, occurred_at);
