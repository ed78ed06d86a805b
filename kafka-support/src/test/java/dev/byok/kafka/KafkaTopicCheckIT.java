package dev.byok.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.byok.model.KafkaAccess;
import dev.byok.model.Topics;
import dev.byok.testsupport.KafkaEndpoint;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

class KafkaTopicCheckIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void provisionedTopics_haveTheirSpecs() throws Exception {
        try (Admin admin = Admin.create(KafkaEndpoint.admin())) {
            Map<String, TopicDescription> topics = admin.describeTopics(List.of(
                            Topics.TENANT_LOCK_STATE,
                            Topics.KEY_ACCESS,
                            Topics.TENANT_KEY_CONFIG,
                            Topics.ACTIVITY_INGEST))
                    .allTopicNames()
                    .get();
            assertThat(topics.values())
                    .allSatisfy(t -> assertThat(t.partitions()).hasSize(6));
            ConfigResource lockState = new ConfigResource(ConfigResource.Type.TOPIC, Topics.TENANT_LOCK_STATE);
            ConfigResource ingest = new ConfigResource(ConfigResource.Type.TOPIC, Topics.ACTIVITY_INGEST);
            Map<ConfigResource, Config> configs =
                    admin.describeConfigs(List.of(lockState, ingest)).all().get();
            assertThat(configs.get(lockState).get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(Long.parseLong(configs.get(ingest).get("retention.ms").value()))
                    .isEqualTo(48L * 3600 * 1000);
        }
    }

    @Test
    void servicePrincipal_findsNoProblem() {
        try (Admin admin = KafkaTopicCheck.admin(
                KafkaClientConfig.of(KafkaEndpoint.clientProperties(KafkaAccess.CRYPTO_SERVICE)))) {
            await().atMost(WAIT)
                    .until(() ->
                            KafkaTopicCheck.problem(admin).isEmpty()); // a cold first handshake may take a probe's time
        }
    }

    @Test
    void wrongPassword_isNamedAsAuthentication_withoutThePassword() {
        KafkaClientConfig wrong = KafkaClientConfig.of(KafkaEndpoint.clientProperties(KafkaAccess.CRYPTO_SERVICE))
                .with(
                        "sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required "
                                + "username=\"crypto-service\" password=\"not-the-one\";");
        try (Admin admin = KafkaTopicCheck.admin(wrong)) {
            await().atMost(WAIT)
                    .until(() -> KafkaTopicCheck.problem(admin)
                            .filter(p -> p.startsWith("authentication refused"))
                            .isPresent());
            assertThat(KafkaTopicCheck.problem(admin))
                    .hasValueSatisfying(p -> assertThat(p).doesNotContain("not-the-one"));
        }
        assertThat(wrong.describe())
                .contains("crypto-service", KafkaEndpoint.bootstrapServers(), "SASL_SSL/SCRAM-SHA-512")
                .doesNotContain("not-the-one");
    }

    @Test
    void producerPrincipal_mayNotSeeTheControlTopics() {
        try (Admin admin =
                KafkaTopicCheck.admin(KafkaClientConfig.of(KafkaEndpoint.clientProperties(KafkaAccess.PRODUCER)))) {
            await().atMost(WAIT)
                    .until(() -> KafkaTopicCheck.problem(admin)
                            .filter(p -> p.startsWith("not authorised"))
                            .isPresent());
        }
    }
}
