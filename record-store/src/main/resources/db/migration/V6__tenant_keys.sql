-- Tenant keys (docs/architecture.md, "Tenant keys and crypto-shredding"). Each tenant's DEKs are
-- wrapped by its own AES key (format 2); that key is stored here only wrapped by a per-tenant RSA key
-- in the service's own Key Vault, which offboarding purges. A backup of this table is then useless.
CREATE TABLE tenant_key (
    tenant_id     varchar(64)   PRIMARY KEY,
    version       integer       NOT NULL CHECK (version >= 1),
    -- the vault key version that wraps it: always the tenant's own key in the service's vault (checked on read)
    vault_key_id  varchar(1024) NOT NULL,
    wrapped       bytea         NOT NULL,
    created_at    timestamptz   NOT NULL DEFAULT now()
);
-- DEKs still under the global keyring (format 1): the sweeper moves them under their tenant key.
CREATE INDEX dek_keyring ON dek (tenant_id) WHERE get_byte(wrapped, 0) = 1;
-- when the tenant key was purged from the vault: from then on no copy of the tenant's format-2 DEKs opens
ALTER TABLE shredded_tenant ADD COLUMN tenant_key_purged_at timestamptz;
