-- The customer's Entra directory (tenant id) whose vault holds the key. Bound at the first enable
-- and kept for the tenant's life: its DEKs stay wrapped by keys of that directory.
ALTER TABLE tenant_encryption ADD COLUMN directory_id varchar(36);

-- With byok.directory.exclusive (the default), a directory serves one tenant of this service until
-- that tenant is offboarded, so no tenant can have the service use another customer's registration
-- of the BYOK application. The primary key settles two tenants enabling with one directory at once.
CREATE TABLE directory_owner (
    directory_id varchar(36) PRIMARY KEY,
    tenant_id    varchar(64) NOT NULL
);
