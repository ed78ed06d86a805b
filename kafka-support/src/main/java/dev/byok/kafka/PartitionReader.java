package dev.byok.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads partitions of a (compacted) topic from the beginning up to the end offsets taken when the
 * read starts, outside any consumer group: how a new owner rebuilds its tenants' state.
 */
public final class PartitionReader {
    private PartitionReader() {}

    /**
     * Feeds every record (key, value; value null for a tombstone) of the partitions, in order, up to
     * the end offsets taken at the start; returns those offsets (where a reader of later records starts).
     */
    public static Map<TopicPartition, Long> readToEnd(
            KafkaClientConfig kafka,
            Collection<TopicPartition> partitions,
            Duration timeout,
            BiConsumer<String, byte[]> sink) {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        try (KafkaConsumer<String, byte[]> consumer =
                kafka.groupLessConsumer(Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000"))) {
            List<TopicPartition> list = List.copyOf(partitions);
            consumer.assign(list);
            consumer.seekToBeginning(list);
            Map<TopicPartition, Long> end = consumer.endOffsets(list, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!caughtUp(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + partitions + " to its end within " + timeout);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() < end.get(tp)) {
                        sink.accept(record.key(), record.value());
                    }
                }
            }
            return end;
        }
    }

    static boolean caughtUp(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }
}
