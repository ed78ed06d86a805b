package dev.byok.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The end-to-end benchmark's plain consumer, run in its own JVM: reads {@code events} records of the
 * ingest topic from the given offsets (no group: assigned partitions) and prints how long it took —
 * Kafka's own consume rate for the same events. Arguments: client-file events partition=offset,...
 */
public final class ConsumeRate {
    private ConsumeRate() {}

    public static void main(String[] args) {
        Map<String, Object> client = new HashMap<>(KafkaClientFile.read(Path.of(args[0])));
        int events = Integer.parseInt(args[1]);
        client.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(client, new StringDeserializer(), new ByteArrayDeserializer())) {
            Map<TopicPartition, Long> from = new HashMap<>();
            for (String position : args[2].split(",")) {
                String[] p = position.split("=");
                from.put(
                        new TopicPartition(dev.byok.model.Topics.ACTIVITY_INGEST, Integer.parseInt(p[0])),
                        Long.parseLong(p[1]));
            }
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            long start = System.nanoTime();
            long read = 0;
            while (read < events) {
                read += consumer.poll(Duration.ofMillis(200)).count();
            }
            System.out.printf("consumed=%d nanos=%d%n", read, System.nanoTime() - start);
        }
    }
}
