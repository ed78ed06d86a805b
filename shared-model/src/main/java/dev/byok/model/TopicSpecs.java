package dev.byok.model;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Partitions and cleanup policies of every topic, in one place (names live in {@link Topics}).
 * The tenant-keyed topics that the lockdown service joins (key-access, key-config, lock-state)
 * must have the same partition count: a tenant then sits in the same partition number in each,
 * and owning that partition means owning the tenant.
 */
public final class TopicSpecs {
    public static final int DEFAULT_PARTITIONS = 6;
    /** Ingest keeps 48 h at most: data older than that must be under the customer key, not in Kafka. */
    public static final Duration INGEST_RETENTION = Duration.ofHours(48);

    /** How long a segment of a topic holding event plaintext (ingest, its DLQ) stays open. */
    public static final Duration PLAINTEXT_SEGMENT = Duration.ofHours(1);

    /** One topic: name, partitions, and its topic-level configuration. */
    public record Spec(String name, int partitions, Map<String, String> config) {}

    private TopicSpecs() {}

    public static List<Spec> all(int partitions) {
        Map<String, String> compacted = Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0");
        // plaintext topics roll a segment every hour: Kafka deletes whole segments, so a record outlives its
        // retention by at most one segment (the default, 7 days, would keep 48 h of plaintext for 9 days)
        String segment = Long.toString(PLAINTEXT_SEGMENT.toMillis());
        Map<String, String> ingest =
                Map.of("retention.ms", Long.toString(INGEST_RETENTION.toMillis()), "segment.ms", segment);
        return List.of(
                new Spec(Topics.ACTIVITY_INGEST, partitions, ingest),
                new Spec(
                        Topics.ACTIVITY_INGEST_DLQ,
                        partitions,
                        Map.of("retention.ms", Long.toString(Duration.ofDays(7).toMillis()), "segment.ms", segment)),
                new Spec(Topics.TENANT_KEY_CONFIG, partitions, compacted),
                // the broker stamps key-access records: lockdown trusts that time, not the producer's (EventTimeWindow)
                new Spec(
                        Topics.KEY_ACCESS,
                        partitions,
                        Map.of(
                                "retention.ms",
                                Long.toString(Duration.ofDays(7).toMillis()),
                                "message.timestamp.type",
                                "LogAppendTime")),
                new Spec(Topics.TENANT_LOCK_STATE, partitions, compacted),
                new Spec(Topics.TENANT_PROTECTION, partitions, compacted),
                new Spec(
                        Topics.AUDIT_KEY_USAGE,
                        partitions,
                        Map.of("retention.ms", Long.toString(Duration.ofDays(30).toMillis()))));
    }

    /** The topics whose partition numbers must line up for tenant ownership. */
    public static List<String> tenantJoinedTopics() {
        return List.of(Topics.KEY_ACCESS, Topics.TENANT_KEY_CONFIG, Topics.TENANT_LOCK_STATE);
    }
}
