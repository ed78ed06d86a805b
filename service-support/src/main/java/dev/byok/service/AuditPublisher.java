package dev.byok.service;

import dev.byok.kms.KeyUsageAuditor;
import dev.byok.model.EventCodec;
import dev.byok.model.KeyUsageAudit;
import dev.byok.model.Topics;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The one key-usage hook: publishes every Key Vault operation to the audit topic (keyed by tenant,
 * never blocking the caller) and counts it: {@code byok_keyvault_calls_seconds{operation,purpose,outcome}}
 * (a timer: count and latency by operation and outcome; outcome is OK or the failure class).
 */
@ApplicationScoped
public class AuditPublisher implements KeyUsageAuditor {
    private final KafkaProducer<String, byte[]> producer;
    private final MeterRegistry registry;

    AuditPublisher(KafkaClients kafka, MeterRegistry registry) {
        this.registry = registry;
        this.producer = kafka.config().producer(Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 20));
    }

    @Override
    public void record(KeyUsageAudit audit) {
        String outcome = audit.succeeded() ? "OK" : audit.failure().map(Enum::name).orElse("INVALID_CIPHERTEXT");
        Timer.builder("byok.keyvault.calls").description("Key Vault operations by operation, purpose and outcome")
                .tag("operation", audit.operation().name()).tag("purpose", audit.purpose().name()).tag("outcome", outcome)
                .register(registry).record(Duration.ofMillis(audit.latencyMs()));
        producer.send(new ProducerRecord<>(Topics.AUDIT_KEY_USAGE, audit.tenantId(), EventCodec.encode(audit)), (metadata, error) -> {
            if (error != null) {
                Log.warnf("could not publish a key-usage audit record for tenant %s: %s", audit.tenantId(), error.getClass().getSimpleName());
            }
        });
    }

    @PreDestroy
    void close() {
        producer.close();
    }
}
