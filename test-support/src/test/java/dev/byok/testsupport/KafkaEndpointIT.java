package dev.byok.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byok.infra.KafkaProvisioning;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaEndpointIT {

    @Test
    void recordsRoundTripThroughTheRealBroker_inOrder_withKeysAndHeaders() throws Exception {
        String topic = "round-trip-" + UUID.randomUUID();
        try (Admin admin = Admin.create(KafkaEndpoint.admin())) {
            KafkaProvisioning.createTopic(admin, topic, 1, Map.of());
        }

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                with(
                        KafkaEndpoint.admin(),
                        Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)),
                new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < 100; i++) {
                ProducerRecord<String, String> record = new ProducerRecord<>(topic, "tenant-a", "event-" + i);
                record.headers().add("n", Integer.toString(i).getBytes());
                producer.send(record).get();
            }
        }

        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                with(
                        KafkaEndpoint.admin(),
                        Map.of(
                                ConsumerConfig.GROUP_ID_CONFIG,
                                "it-" + UUID.randomUUID(),
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                "earliest")),
                new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (received.size() < 100 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(received::add);
            }
            consumer.commitSync();
        }

        assertThat(received).hasSize(100);
        assertThat(received)
                .extracting(ConsumerRecord::value)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 100)
                        .mapToObj(i -> "event-" + i)
                        .toList());
        assertThat(received).allSatisfy(r -> assertThat(r.key()).isEqualTo("tenant-a"));
        assertThat(new String(received.get(42).headers().lastHeader("n").value()))
                .isEqualTo("42");
    }

    @Test
    void sameEndpointIsSharedByEveryCallerInTheJvm() {
        assertThat(KafkaEndpoint.bootstrapServers())
                .isEqualTo(KafkaEndpoint.bootstrapServers())
                .startsWith("localhost:");
    }

    private static Map<String, Object> with(Map<String, Object> client, Map<String, Object> extra) {
        Map<String, Object> all = new HashMap<>(client);
        all.putAll(extra);
        return all;
    }
}
