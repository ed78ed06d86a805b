-- Each tenant's key-use audit, from byok.audit.key-usage, for its admins (GET .../encryption/key-usage).
-- A record's topic position identifies it: a redelivered record is stored once.
CREATE TABLE key_usage (
    id            bigserial    PRIMARY KEY,
    tenant_id     varchar(64)  NOT NULL,
    occurred_at   timestamptz  NOT NULL,
    service       varchar(64)  NOT NULL,
    purpose       varchar(32)  NOT NULL,
    operation     varchar(32)  NOT NULL,
    key_id        varchar(1024) NOT NULL,
    outcome       varchar(32)  NOT NULL,
    latency_ms    bigint       NOT NULL,
    topic_partition int        NOT NULL,
    topic_offset  bigint       NOT NULL,
    UNIQUE (topic_partition, topic_offset)
);
CREATE INDEX key_usage_by_tenant ON key_usage (tenant_id, id DESC);
CREATE INDEX key_usage_by_time ON key_usage (occurred_at);
