-- One row per tenant that ever configured a customer key. revision grows by one per change and is
-- the ETag admins send back in If-Match.
CREATE TABLE tenant_encryption (
    tenant_id          varchar(64)  PRIMARY KEY,
    byok_enabled       boolean      NOT NULL,
    key_uri            varchar(1024),
    key_version_id     varchar(1024),
    revision           bigint       NOT NULL,
    changed_at         timestamptz  NOT NULL,
    last_roll_at       timestamptz,
    last_validation_at timestamptz,
    last_validation_ok boolean
);

-- Transactional outbox: a change and its event commit together; the relay publishes in id order
-- and marks each row. A crash between commit and publish leaves the row for the next relay run.
CREATE TABLE outbox (
    id           bigserial    PRIMARY KEY,
    topic        varchar(255) NOT NULL,
    record_key   varchar(255) NOT NULL,
    payload      bytea        NOT NULL,
    created_at   timestamptz  NOT NULL,
    published_at timestamptz
);
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
