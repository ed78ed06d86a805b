package dev.byok.sweeper;

import static dev.byok.sweeper.Blocking.await;

import dev.byok.store.RecordPartitions;
import dev.byok.store.RecordRetention;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Record retention and partition upkeep, on every sweep: the day partitions of {@code activity_record}
 * from yesterday to {@code byok.records.partitions-ahead} days ahead are created (ingest then never
 * creates one at midnight), and every partition whose whole day is older than
 * {@code byok.records.retention} is dropped, with one log event per partition (its day and record
 * count) and the {@code byok_retention_*} metrics. Dropping a day costs the same whatever it holds,
 * and no tenant's records are ever deleted row by row for retention.
 */
@ApplicationScoped
public class RetentionJob {
    private final RecordPartitions partitions;
    private final Duration retention;
    private final int ahead;
    private final SweeperMetrics metrics;

    RetentionJob(RecordPartitions partitions, RecordRetention config, SweeperMetrics metrics) {
        this.partitions = partitions;
        this.retention = config.retention();
        this.ahead = config.partitionsAhead();
        this.metrics = metrics;
    }

    /** Never throws: a day that cannot be created or dropped now is logged and tried again on the next sweep. */
    void run(Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        try {
            await(partitions.ensureRange(today.minusDays(1), today.plusDays(ahead)));
            // a day [d, d+1) is expired once its end is at or before now - retention
            LocalDate firstKept = LocalDate.ofInstant(now.minus(retention), ZoneOffset.UTC);
            LocalDate newest = today;
            for (RecordPartitions.Partition p : await(partitions.list())) {
                newest = p.day().isAfter(newest) ? p.day() : newest;
                if (p.day().isBefore(firstKept)) {
                    drop(p);
                }
            }
            metrics.partitionsAhead(newest.toEpochDay() - today.toEpochDay());
        } catch (RuntimeException e) {
            Log.warnf(
                    "retention: partition upkeep failed (%s); the next sweep retries",
                    e.getClass().getSimpleName());
        }
    }

    private void drop(RecordPartitions.Partition p) {
        try {
            long records = await(partitions.drop(p));
            metrics.partitionDropped(records);
            Log.infof(
                    "retention: dropped the records of %s (UTC), %d records, older than %d days",
                    p.day(), records, retention.toDays());
        } catch (RuntimeException e) { // e.g. its lock not granted within 2 s: the table was busy
            Log.warnf(
                    "retention: could not drop the records of %s now (%s); the next sweep retries",
                    p.day(), e.getClass().getSimpleName());
        }
    }
}
