package dev.byok.service;

import dev.byok.kms.KeyUsageAuditor;
import dev.byok.model.EventCodec;
import dev.byok.model.KeyUsageAudit;
import dev.byok.model.Topics;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Publishes every Key Vault operation to the audit topic, keyed by tenant; never blocks the caller. */
@ApplicationScoped
public class AuditPublisher implements KeyUsageAuditor {
    private final KafkaProducer<String, byte[]> producer;

    AuditPublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 20), new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void record(KeyUsageAudit audit) {
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
