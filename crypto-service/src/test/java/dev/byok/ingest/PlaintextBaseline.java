package dev.byok.ingest;

import dev.byok.model.ActivityEventParser;
import dev.byok.model.EventCodec;
import dev.byok.store.RecordRepository;
import dev.byok.testsupport.KafkaEndpoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The ingest benchmark's plaintext baseline: the round's records read from the ingest topic, the same
 * validation, the same batches and the product's own write ({@link RecordRepository#insertAll}) into
 * the same table, without DEKs or sealing. Rows go to tenant {@code plain-<tenant>} so they never
 * meet the encrypted pipeline's rows. Exists only here: the product has no plaintext switch.
 */
final class PlaintextBaseline {
    private static final UUID NO_DEK = new UUID(0, 0);

    private final RecordRepository records;
    private final int batch;

    /** @param batch the most records per write: the ingest channel's {@code max.poll.records} */
    PlaintextBaseline(RecordRepository records, int batch) {
        this.records = records;
        this.batch = batch;
    }

    /** Stores the {@code events} records of the given tenants from the offsets; returns events/s. */
    double run(Set<String> tenants, Map<TopicPartition, Long> from, int events) {
        ActivityEventParser parser = new ActivityEventParser(Clock.systemUTC());
        long start = System.nanoTime();
        long done = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                KafkaEndpoint.admin(Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, batch)),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            while (done < events) {
                List<RecordRepository.SealedRecord> rows = new ArrayList<>();
                Instant now = Instant.now();
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() != null
                            && tenants.contains(r.key())
                            && parser.parse(r.value()) instanceof ActivityEventParser.Valid valid) {
                        var event = valid.event();
                        rows.add(new RecordRepository.SealedRecord(
                                "plain-" + event.tenantId(),
                                event.eventId(),
                                NO_DEK,
                                EventCodec.encode(event),
                                event.occurredAt(),
                                now));
                    }
                }
                records.insertAll(rows).await().atMost(Duration.ofSeconds(30));
                done += rows.size();
            }
        }
        return events / ((System.nanoTime() - start) / 1e9);
    }
}
