package dev.byok.config;

import dev.byok.model.EventCodec;
import dev.byok.model.KeyUsageAudit;
import dev.byok.model.TenantId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Feeds {@link KeyUsageLog} from the audit topic ({@code byok.audit.key-usage}, group
 * {@code config-service}), and forgets entries past {@code byok.key-usage.retention}. Every record
 * is input: one that does not decode, whose key is not its tenant, whose strings are over-long or
 * whose time is outside 2000 … now + 1 day is skipped and counted
 * ({@code byok_key_usage_skipped_total}), so no record can stall the partition. A batch that cannot
 * be stored is retried (1 s … 30 s) until the database takes it; it is acknowledged only then.
 */
@Startup
@ApplicationScoped
public class KeyUsageAuditReader {
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    private static final int MAX_KEY_ID = 1024;
    private static final int MAX_SERVICE = 64;

    private final KeyUsageLog log;
    private final Duration retention;
    private final Counter skipped;
    private final Clock clock;

    KeyUsageAuditReader(
            KeyUsageLog log,
            @ConfigProperty(name = "byok.key-usage.retention", defaultValue = "P90D") Duration retention,
            MeterRegistry registry,
            Clock clock) {
        this.log = log;
        this.clock = clock;
        this.retention = retention;
        this.skipped = Counter.builder("byok.key.usage.skipped")
                .description("audit records not stored: malformed or out of bounds")
                .register(registry);
    }

    /** Acknowledged (post-processing) when the returned stage completes: after the batch is stored. */
    @Incoming("key-usage")
    Uni<Void> store(ConsumerRecords<String, byte[]> batch) {
        List<KeyUsageLog.Entry> entries = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : batch) {
            entry(record).ifPresentOrElse(entries::add, skipped::increment);
        }
        return log.store(entries)
                .onFailure()
                .invoke(e -> Log.warnf(
                        "key-usage audit batch not stored, retrying: %s",
                        e.getClass().getSimpleName()))
                .onFailure()
                .retry()
                .withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30))
                .indefinitely();
    }

    private Optional<KeyUsageLog.Entry> entry(ConsumerRecord<String, byte[]> record) {
        KeyUsageAudit audit;
        try {
            audit = EventCodec.decode(record.value(), KeyUsageAudit.class);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        Instant latest = clock.instant().plus(Duration.ofDays(1));
        boolean valid = TenantId.isValid(audit.tenantId())
                && audit.tenantId().equals(record.key())
                && audit.keyId().length() <= MAX_KEY_ID
                && audit.source().length() <= MAX_SERVICE
                && audit.latencyMs() >= 0
                && !audit.occurredAt().isBefore(EARLIEST)
                && !audit.occurredAt().isAfter(latest);
        return valid
                ? Optional.of(new KeyUsageLog.Entry(audit, record.partition(), record.offset()))
                : Optional.empty();
    }

    @Scheduled(every = "${byok.key-usage.retention-check:1h}", delayed = "1m")
    Uni<Void> forgetOld() {
        return log.deleteBefore(clock.instant().minus(retention))
                .invoke(n -> Log.debugf("forgot %d key-usage entries older than %s", n, retention))
                .replaceWithVoid();
    }
}
