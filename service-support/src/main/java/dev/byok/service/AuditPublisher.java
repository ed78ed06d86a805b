package dev.byok.service;

import dev.byok.kms.KeyUsageAuditor;
import dev.byok.kms.KeyUse;
import dev.byok.model.EventCodec;
import dev.byok.model.KeyUsageAudit;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * The one key-usage hook: publishes every Key Vault operation to the audit topic (keyed by tenant,
 * never blocking the caller) and counts it: {@code byok_keyvault_calls_seconds{operation,purpose,outcome}}
 * (a timer: count and latency by operation and outcome; outcome is OK or the failure class).
 */
@ApplicationScoped
public class AuditPublisher implements KeyUsageAuditor {
    private final Emitter<byte[]> channel;
    private final MeterRegistry registry;

    private final String source;

    AuditPublisher(
            @Channel("key-usage-audit") Emitter<byte[]> channel,
            MeterRegistry registry,
            @ConfigProperty(name = "quarkus.application.name") String source) {
        this.registry = registry;
        this.channel = channel;
        this.source = source;
    }

    /**
     * Fixed buckets up to the operation deadline (5 s): a few series per label set, enough for a p99 panel
     * ({@code histogram_quantile} over {@code byok_keyvault_calls_seconds_bucket}).
     */
    static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500),
        Duration.ofSeconds(5)
    };

    @Override
    public void record(KeyUse use) {
        KeyUsageAudit audit = KeyUsageAudit.of(use, source);
        String outcome = audit.outcome();
        Timer.builder("byok.keyvault.calls")
                .description("Key Vault operations by operation, purpose and outcome")
                .serviceLevelObjectives(LATENCY_BUCKETS) // histogram buckets: the dashboard's p99
                .tag("operation", audit.operation().name())
                .tag("purpose", audit.purpose().name())
                .tag("outcome", outcome)
                .register(registry)
                .record(Duration.ofMillis(audit.latencyMs()));
        ChannelRecords.send(channel, audit.tenantId(), EventCodec.encode(audit)).whenComplete((ok, error) -> {
            if (error != null) {
                Log.warnf(
                        "could not publish a key-usage audit record for tenant %s: %s",
                        audit.tenantId(), error.getClass().getSimpleName());
            }
        });
    }
}
