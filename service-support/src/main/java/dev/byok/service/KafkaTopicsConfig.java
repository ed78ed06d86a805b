package dev.byok.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code byok.kafka.*}: the topics this service creates when missing (see TopicSpecs). */
@ConfigMapping(prefix = "byok.kafka")
public interface KafkaTopicsConfig {
    /** Create missing topics at start (local runs; Strimzi manages them in Kubernetes). */
    @WithDefault("true")
    boolean createTopics();

    @WithDefault("6")
    int partitions();

    @WithDefault("1")
    int replicationFactor();
}
