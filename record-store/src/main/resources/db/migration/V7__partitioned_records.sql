-- activity_record partitioned by day of occurred_at (UTC), so that retention drops whole days and the
-- sweeper's work goes partition by partition (docs/architecture.md, "Record partitions and retention").
-- The primary key must hold the partition key: (tenant_id, occurred_at, event_id) keeps a redelivered
-- event a no-op (a redelivery repeats its occurredAt) and serves the read API's pages, which are ordered
-- by (occurred_at, event_id) within a tenant, so the former activity_by_time index is gone.
ALTER TABLE activity_record RENAME TO activity_record_v6;
ALTER INDEX activity_record_pkey RENAME TO activity_record_v6_pkey;
ALTER INDEX activity_by_time RENAME TO activity_record_v6_by_time;
ALTER INDEX activity_by_dek RENAME TO activity_record_v6_by_dek;

CREATE TABLE activity_record (
    tenant_id    varchar(64)  NOT NULL,
    event_id     varchar(128) NOT NULL,
    dek_id       uuid         NOT NULL,
    envelope     bytea        NOT NULL,
    occurred_at  timestamptz  NOT NULL,
    ingested_at  timestamptz  NOT NULL,
    PRIMARY KEY (tenant_id, occurred_at, event_id)
) PARTITION BY RANGE (occurred_at);
-- finding an old DEK's records (re-encryption, temporary DEKs), paged by (event_id, occurred_at): an event id
-- may now repeat within a tenant with another occurredAt
CREATE INDEX activity_by_dek ON activity_record (dek_id, event_id, occurred_at);

-- Creates the missing day partitions activity_record_YYYYMMDD from first_day to last_day (UTC days);
-- returns how many it created. Replicas calling it at once queue on one advisory lock, so a day is
-- never created twice. Ingest calls it for a day it has not seen yet; the sweeper creates days ahead.
CREATE FUNCTION ensure_activity_partitions(first_day date, last_day date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    day date;
    created integer := 0;
BEGIN
    IF last_day - first_day > 3660 THEN
        RAISE EXCEPTION 'refusing to create % day partitions at once', last_day - first_day + 1;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('activity_record partitions'));
    FOR day IN SELECT generate_series(first_day, last_day, interval '1 day')::date LOOP
        IF to_regclass(format('%I', 'activity_record_' || to_char(day, 'YYYYMMDD'))) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF activity_record FOR VALUES FROM (%L) TO (%L)',
                           'activity_record_' || to_char(day, 'YYYYMMDD'),
                           day::timestamp AT TIME ZONE 'UTC',
                           (day + 1)::timestamp AT TIME ZONE 'UTC');
            created := created + 1;
        END IF;
    END LOOP;
    RETURN created;
END
$$;

-- the days that hold records, and today and the next week
SELECT ensure_activity_partitions(day, day)
  FROM (SELECT DISTINCT (occurred_at AT TIME ZONE 'UTC')::date AS day FROM activity_record_v6) AS days;
SELECT ensure_activity_partitions((now() AT TIME ZONE 'UTC')::date - 1, (now() AT TIME ZONE 'UTC')::date + 7);
INSERT INTO activity_record (tenant_id, event_id, dek_id, envelope, occurred_at, ingested_at)
    SELECT tenant_id, event_id, dek_id, envelope, occurred_at, ingested_at FROM activity_record_v6;
DROP TABLE activity_record_v6;
