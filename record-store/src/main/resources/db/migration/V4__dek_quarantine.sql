-- A DEK row the sweeper cannot act on (its stored wrapping does not parse): set aside, reported in the
-- tenant's protection status and never claimed again, so one bad row cannot hold up the other DEKs.
-- An operator repairs or deletes the row, then clears quarantined_at.
ALTER TABLE dek ADD COLUMN quarantined_at timestamptz;
ALTER TABLE dek ADD COLUMN quarantine_reason varchar(256);
