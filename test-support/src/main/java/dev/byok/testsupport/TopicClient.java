package dev.byok.testsupport;

import static org.awaitility.Awaitility.await;

import dev.byok.model.EventCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Tests' access to a broker's topics (the embedded one, as its super user, unless given): publish an
 * event, read one tenant's events until a condition holds.
 */
public final class TopicClient {
    private TopicClient() {}

    /** Publishes {@code event} (encoded by {@link EventCodec}) with key {@code tenantId} and waits for the acknowledgement. */
    /** Where each partition of the topic ends now: the next record published to it starts there. */
    public static Map<TopicPartition, Long> endOffsets(Map<String, Object> client, String topic) {
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(client, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            return consumer.endOffsets(partitions);
        }
    }

    public static void publish(String topic, String tenantId, Object event) {
        publishBytes(topic, tenantId, EventCodec.encode(event));
    }

    /** The same, to another broker (a running stack's) as the principal of {@code client} (a complete client configuration). */
    public static void publish(Map<String, Object> client, String topic, String tenantId, Object event) {
        publishBytes(client, topic, tenantId, EventCodec.encode(event));
    }

    /** Publishes raw bytes (e.g. a malformed record) with key {@code key} and waits for the acknowledgement. */
    public static void publishBytes(String topic, String key, byte[] value) {
        publishBytes(KafkaEndpoint.admin(), topic, key, value);
    }

    private static void publishBytes(Map<String, Object> client, String topic, String key, byte[] value) {
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(client, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not publish to " + topic, e);
        }
    }

    /** Reads the topic from the beginning until the events keyed {@code tenantId} satisfy {@code until}; returns them in order. */
    public static <T> List<T> readUntil(
            String topic, String tenantId, Class<T> type, Predicate<List<T>> until, Duration atMost) {
        List<T> decoded = new ArrayList<>();
        recordsUntil(
                topic,
                tenantId,
                records -> {
                    decoded.clear();
                    records.stream()
                            .filter(r -> r.value() != null)
                            .forEach(r -> decoded.add(EventCodec.decode(r.value(), type)));
                    return until.test(decoded);
                },
                atMost);
        return decoded;
    }

    /** The raw records keyed {@code tenantId} (headers included), read from the beginning until {@code until} holds. */
    public static List<ConsumerRecord<String, byte[]>> recordsUntil(
            String topic, String tenantId, Predicate<List<ConsumerRecord<String, byte[]>>> until, Duration atMost) {
        return recordsUntil(KafkaEndpoint.admin(), topic, tenantId, until, atMost);
    }

    /** The same, from another broker (a running stack's) as the principal of {@code client} (a complete client configuration). */
    public static List<ConsumerRecord<String, byte[]>> recordsUntil(
            Map<String, Object> client,
            String topic,
            String tenantId,
            Predicate<List<ConsumerRecord<String, byte[]>>> until,
            Duration atMost) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        Map<String, Object> props = new HashMap<>(client);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(atMost).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (tenantId.equals(r.key())) {
                        found.add(r);
                    }
                });
                return until.test(found);
            });
        }
        return found;
    }
}
