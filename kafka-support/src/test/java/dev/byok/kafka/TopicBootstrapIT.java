package dev.byok.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byok.model.Topics;
import dev.byok.testsupport.KafkaEndpoint;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

class TopicBootstrapIT {
    @Test
    void ensure_createsEveryTopicWithItsSpec_andIsIdempotent() throws Exception {
        TopicBootstrap.ensure(KafkaEndpoint.bootstrapServers(), TopicSpecs.all(4), 1);
        TopicBootstrap.ensure(KafkaEndpoint.bootstrapServers(), TopicSpecs.all(4), 1);

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KafkaEndpoint.bootstrapServers()))) {
            Map<String, TopicDescription> topics = admin.describeTopics(List.of(Topics.TENANT_LOCK_STATE, Topics.KEY_ACCESS,
                    Topics.TENANT_KEY_CONFIG, Topics.ACTIVITY_INGEST)).allTopicNames().get();
            assertThat(topics.values()).allSatisfy(t -> assertThat(t.partitions()).hasSize(4));
            ConfigResource lockState = new ConfigResource(ConfigResource.Type.TOPIC, Topics.TENANT_LOCK_STATE);
            ConfigResource ingest = new ConfigResource(ConfigResource.Type.TOPIC, Topics.ACTIVITY_INGEST);
            Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(lockState, ingest)).all().get();
            assertThat(configs.get(lockState).get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(Long.parseLong(configs.get(ingest).get("retention.ms").value())).isEqualTo(48L * 3600 * 1000);
        }
    }
}
