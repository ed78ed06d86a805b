package dev.byok.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.byok.model.KafkaAccess;
import dev.byok.model.TopicSpecs;
import dev.byok.model.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The broker enforces the {@link KafkaAccess} table exactly: every principal × every topic, both ways. */
class KafkaAccessIT {

    @Test
    void everyPrincipal_writesExactlyTheTopicsItIsGranted() {
        for (KafkaAccess.Principal principal : KafkaAccess.principals()) {
            for (TopicSpecs.Spec topic : TopicSpecs.all(TopicSpecs.DEFAULT_PARTITIONS)) {
                // a fresh producer per attempt: one refusal leaves a producer in an error state for every later send
                try (KafkaProducer<String, byte[]> producer =
                        producer(KafkaEndpoint.clientProperties(principal.name()))) {
                    Throwable outcome = send(producer, topic.name());
                    if (principal.mayWrite(topic.name())) {
                        assertThat(outcome)
                                .as(principal.name() + " writes " + topic.name())
                                .isNull();
                    } else {
                        assertThat(outcome)
                                .as(principal.name() + " writes " + topic.name())
                                .isInstanceOf(AuthorizationException.class);
                    }
                }
            }
        }
    }

    @Test
    void everyPrincipal_readsExactlyTheTopicsItIsGranted() {
        for (KafkaAccess.Principal principal : KafkaAccess.principals()) {
            for (TopicSpecs.Spec topic : TopicSpecs.all(TopicSpecs.DEFAULT_PARTITIONS)) {
                try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                        KafkaEndpoint.clientProperties(principal.name()),
                        new StringDeserializer(),
                        new ByteArrayDeserializer())) {
                    consumer.assign(List.of(new TopicPartition(topic.name(), 0)));
                    if (principal.mayRead(topic.name())) {
                        consumer.seekToBeginning(List.of(new TopicPartition(topic.name(), 0)));
                        consumer.poll(Duration.ofMillis(500));
                    } else {
                        assertThatThrownBy(() -> {
                                    consumer.seekToBeginning(List.of(new TopicPartition(topic.name(), 0)));
                                    consumer.poll(Duration.ofSeconds(10));
                                })
                                .as(principal.name() + " reads " + topic.name())
                                .isInstanceOf(AuthorizationException.class);
                    }
                }
            }
        }
    }

    @Test
    void producer_cannotJoinAServicesConsumerGroup() {
        Map<String, Object> props = new HashMap<>(KafkaEndpoint.clientProperties(KafkaAccess.PRODUCER));
        props.put(ConsumerConfig.GROUP_ID_CONFIG, KafkaAccess.CRYPTO_SERVICE);
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("byok.activity.ingest"));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10)))
                    .isInstanceOf(GroupAuthorizationException.class);
        }
    }

    @Test
    void lagReader_seesTheIngestGroupsOffsets_butNoRecord() throws Exception {
        try (Admin admin = Admin.create(KafkaEndpoint.clientProperties(KafkaAccess.LAG_READER))) {
            TopicPartition ingest = new TopicPartition(Topics.ACTIVITY_INGEST, 0);
            assertThat(admin.listOffsets(Map.of(ingest, OffsetSpec.latest()))
                            .all()
                            .get(30, TimeUnit.SECONDS))
                    .containsKey(ingest);
            assertThat(admin.listConsumerGroupOffsets(KafkaAccess.CRYPTO_SERVICE)
                            .partitionsToOffsetAndMetadata()
                            .get(30, TimeUnit.SECONDS))
                    .isNotNull();
        }
    }

    @Test
    void wrongPassword_isRefusedAtAuthentication() {
        Map<String, Object> props = new HashMap<>(KafkaEndpoint.clientProperties(KafkaAccess.PRODUCER));
        props.put(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"producer\" password=\"wrong\";");
        try (KafkaProducer<String, byte[]> producer = producer(props)) {
            assertThat(send(producer, "byok.activity.ingest")).isInstanceOf(SaslAuthenticationException.class);
        }
    }

    private static KafkaProducer<String, byte[]> producer(Map<String, Object> client) {
        Map<String, Object> props = new HashMap<>(client);
        props.put(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                false); // topic rights only: idempotence needs a cluster-level right of its own
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /** Null when the broker acknowledged the record, else the cause it was refused with. */
    private static Throwable send(KafkaProducer<String, byte[]> producer, String topic) {
        try {
            producer.send(new ProducerRecord<>(topic, "access-check", new byte[] {'{', '}'}))
                    .get(30, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            return e;
        }
    }
}
