package dev.byok.sweeper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sweeper's progress metrics. None has a tenant label (the number of tenants is unbounded): the ages are the
 * oldest over every BYOK tenant, and which tenant it is, is in each tenant's protection status
 * ({@code byok.tenant.protection}, the admin API's status).
 */
@ApplicationScoped
public class SweeperMetrics {
    private final MeterRegistry registry;
    private volatile double oldestUnprotectedSeconds;
    private volatile double oldestTemporarySeconds;
    private final AtomicInteger overdueTenants = new AtomicInteger();
    private final AtomicLong quarantinedDeks = new AtomicLong();
    private final AtomicInteger unreadableConfigs = new AtomicInteger();
    private final AtomicLong keyringDeks = new AtomicLong();
    private final AtomicLong partitionDaysAhead = new AtomicLong();

    SweeperMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("byok_sweeper_oldest_unprotected_seconds", this, m -> m.oldestUnprotectedSeconds)
                .description("Age of the oldest DEK of any BYOK tenant still readable without the customer key"
                        + " (0 = all protected)")
                .register(registry);
        Gauge.builder("byok_sweeper_oldest_temporary_seconds", this, m -> m.oldestTemporarySeconds)
                .description("Age of the oldest DEK of any BYOK tenant not born under the customer key, an upper bound"
                        + " on the age of the oldest record a managed-only copy in a backup could open (0 = none)")
                .register(registry);
        registry.gauge("byok_sweeper_protection_overdue_tenants", overdueTenants);
        registry.gauge(
                "byok_sweeper_quarantined_deks",
                quarantinedDeks); // stored wrapping does not parse: an operator looks at them
        registry.gauge(
                "byok_sweeper_unreadable_key_configs", unreadableConfigs); // tenants whose DEKs are left as they are
        registry.gauge(
                "byok_sweeper_keyring_deks", keyringDeks); // still under the global keyring: the migration's rest
        registry.gauge(
                "byok_records_partition_days_ahead",
                partitionDaysAhead); // below 1, ingest creates each new day's partition itself
    }

    /** One day partition dropped on retention, with the records it held. */
    void partitionDropped(long records) {
        Counter.builder("byok_retention_partitions_dropped_total")
                .description("Day partitions of activity records dropped because all of the day is past retention")
                .register(registry)
                .increment();
        Counter.builder("byok_retention_records_dropped_total")
                .description("Activity records deleted on retention (with their day partition)")
                .register(registry)
                .increment(records);
    }

    /** Days from today to the newest day partition that exists. */
    void partitionsAhead(long days) {
        partitionDaysAhead.set(days);
    }

    /** DEKs of every tenant still under the global keyring (format 1). */
    void keyringDeks(long remaining) {
        keyringDeks.set(remaining);
    }

    /**
     * One DEK of a job ({@code roll}, {@code disable}, {@code migrate}, {@code move}, {@code reencrypt},
     * {@code shred}) by outcome.
     */
    void converged(String job, String outcome) {
        converged(job, outcome, 1);
    }

    void converged(String job, String outcome, int deks) {
        Counter.builder("byok_sweeper_deks_total")
                .description("DEKs processed by the sweeper's jobs")
                .tags("job", job, "outcome", outcome)
                .register(registry)
                .increment(deks);
    }

    void reencrypted(int records) {
        Counter.builder("byok_sweeper_records_reencrypted_total")
                .description("Records moved to a new DEK: off a temporary DEK, or at the end of their crypto-period")
                .register(registry)
                .increment(records);
    }

    void recordsShredded(long records) {
        Counter.builder("byok_sweeper_records_shredded_total")
                .description("Records deleted after their tenant's DEKs were destroyed")
                .register(registry)
                .increment(records);
    }

    /**
     * Replaces the ages of the oldest unprotected and the oldest temporary DEK (over every BYOK tenant), the overdue
     * count and the quarantine counts.
     */
    void protection(
            double oldestUnprotectedSeconds,
            double oldestTemporarySeconds,
            int overdue,
            long quarantined,
            int unreadable) {
        quarantinedDeks.set(quarantined);
        unreadableConfigs.set(unreadable);
        this.oldestUnprotectedSeconds = oldestUnprotectedSeconds;
        this.oldestTemporarySeconds = oldestTemporarySeconds;
        overdueTenants.set(overdue);
    }
}
