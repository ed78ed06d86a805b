package dev.byok.service;

import dev.byok.kafka.TopicBootstrap;
import dev.byok.kafka.TopicSpecs;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Creates missing topics at start when {@code byok.kafka.create-topics} is on, and checks the
 * co-partitioned topics. Beans that need the topics inject this one, which orders them after it.
 */
@Startup
@ApplicationScoped
public class KafkaTopics {
    private final String bootstrapServers;

    KafkaTopics(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, KafkaTopicsConfig config) {
        this.bootstrapServers = bootstrapServers;
        if (config.createTopics()) {
            TopicBootstrap.ensure(bootstrapServers, TopicSpecs.all(config.partitions()), config.replicationFactor());
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }
}
