-- No foreign key from activity_record to dek. PostgreSQL checks one with a trigger and a row lock per
-- inserted row, which cost ingest about a fifth of its throughput (docs/benchmarks.md); and
-- crypto-shredding must be able to destroy a DEK before its records are deleted. The envelope
-- carries its DEK id (authenticated by GCM), and a record whose DEK is gone reads as unreadable.
ALTER TABLE activity_record DROP CONSTRAINT activity_record_dek_id_fkey;
