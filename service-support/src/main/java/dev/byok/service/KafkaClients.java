package dev.byok.service;

import dev.byok.kafka.KafkaClientConfig;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * The service's Kafka client configuration: every {@code kafka.*} property (or {@code KAFKA_*}
 * environment variable), as Quarkus collects them for all Kafka clients: bootstrap servers,
 * {@code security.protocol}, SASL mechanism and JAAS login, TLS trust and key stores. Every
 * consumer, producer and admin client of the service is built from it.
 */
@ApplicationScoped
public class KafkaClients {
    private final KafkaClientConfig config;

    KafkaClients(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.config = KafkaClientConfig.of(kafka);
    }

    public KafkaClientConfig config() {
        return config;
    }
}
