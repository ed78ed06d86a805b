-- Offboarding (crypto-shredding): when and by whom. Final: no change is accepted afterwards.
ALTER TABLE tenant_encryption ADD COLUMN offboarded_at timestamptz;
ALTER TABLE tenant_encryption ADD COLUMN offboarded_by varchar(256);
