package dev.byok.ingest;

import dev.byok.testsupport.KafkaEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads one benchmark pass back from the ingest topic as the service would (same broker listener and
 * login, same batch size): from the pass's start offsets, each poll's records of the pass's tenants go
 * to a handler, until the pass's events were all handed over.
 */
final class PassReader {
    private final int batch;

    /** @param batch the most records per poll: the ingest channel's {@code max.poll.records} */
    PassReader(int batch) {
        this.batch = batch;
    }

    /** Hands the pass's records over poll by poll; returns when {@code events} of them were. */
    void read(
            Set<String> tenants,
            Map<TopicPartition, Long> from,
            int events,
            Consumer<List<ConsumerRecord<String, byte[]>>> handler) {
        long done = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                KafkaEndpoint.admin(Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, batch)),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            while (done < events) {
                List<ConsumerRecord<String, byte[]>> records = new ArrayList<>(batch);
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() != null && tenants.contains(r.key())) {
                        records.add(r);
                    }
                }
                handler.accept(records);
                done += records.size();
            }
        }
    }
}
