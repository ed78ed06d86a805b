package dev.byok.store;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * {@code byok.records.*}: how long stored activity records are kept, shared by ingest (which refuses
 * events already past it) and the sweeper (which drops the day partitions past it).
 */
@ConfigMapping(prefix = "byok.records")
public interface RecordRetention {
    /**
     * Records whose occurredAt is older than this are deleted, a whole UTC day at a time once all of
     * that day is past it (so a record lives at most one day longer). The default matches the activity
     * log of the product this is modelled on.
     */
    @WithDefault("P180D")
    Duration retention();

    /** How many days of partitions the sweeper keeps created ahead of today (ingest never waits for DDL at midnight). */
    @WithDefault("7")
    int partitionsAhead();
}
