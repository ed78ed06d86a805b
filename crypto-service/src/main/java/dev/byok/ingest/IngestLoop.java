package dev.byok.ingest;

import dev.byok.kafka.KafkaClientConfig;
import dev.byok.kafka.ConsumerThreads;
import dev.byok.model.Topics;
import dev.byok.store.RecordRepository;
import io.quarkus.logging.Log;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The ingest loop (plain kafka-clients, its own thread; several may share one group): consumes the
 * ingest topic in batches and hands each to the {@link BatchProcessor}; offsets are committed only
 * after the processor made the batch durable (rows written {@code ON CONFLICT DO NOTHING}, dead
 * letters acknowledged). At-least-once delivery thus stores each event exactly once, and no single
 * record can stall a partition (bad ones are dead-lettered). Any other failure rewinds to the batch
 * and retries it with exponential back-off; after {@value #SUSPECT_AFTER} failures in a row, a record
 * that fails alone while the store answers is dead-lettered.
 */
public final class IngestLoop implements AutoCloseable {
    static final int SUSPECT_AFTER = 3;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Map<String, Object> CONSUMER = Map.of(
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500",
            // a dead replica's partitions move to the others after 10 s, not Kafka's default 45 s
            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000",
            ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "3000");
    private static final Map<String, Object> PRODUCER = Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");

    private final KafkaClientConfig kafka;
    private final String groupId;
    private final String topic;
    private final BatchProcessor processor;
    private final Thread thread;
    private final AtomicLong stored = new AtomicLong();
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile int assignedPartitions;

    IngestLoop(KafkaClientConfig kafka, String groupId, DekManager deks, RecordRepository records, IngestMetrics metrics) {
        this(kafka, groupId, deks, records, metrics, Topics.ACTIVITY_INGEST);
    }

    /** A loop over another topic than the ingest topic: benchmarks replay a prepared topic through it. */
    IngestLoop(KafkaClientConfig kafka, String groupId, DekManager deks, RecordRepository records, IngestMetrics metrics, String topic) {
        this.kafka = kafka;
        this.groupId = groupId;
        this.topic = topic;
        this.processor = new BatchProcessor(deks, records, metrics, Clock.systemUTC());
        this.thread = new Thread(this::run, "ingest");
    }

    IngestLoop start() {
        thread.start();
        return this;
    }

    /** Partitions of the ingest topic this loop owns now. */
    int assignedPartitions() {
        return assignedPartitions;
    }

    /** Valid events this loop sealed and wrote (redeliveries included). */
    long stored() {
        return stored.get();
    }

    public boolean running() {
        return running && thread.isAlive();
    }

    private void run() {
        try (KafkaConsumer<String, byte[]> c = kafka.consumer(groupId, CONSUMER);
             KafkaProducer<String, byte[]> dlq = kafka.producer(PRODUCER)) {
            consumer = c;
            c.subscribe(List.of(topic));
            int failures = 0;
            while (running) {
                ConsumerRecords<String, byte[]> batch = c.poll(Duration.ofMillis(500));
                assignedPartitions = c.assignment().size();
                if (batch.isEmpty()) {
                    continue;
                }
                try {
                    stored.addAndGet(processor.process(batch, dlq, failures >= SUSPECT_AFTER));
                    c.commitSync();
                    failures = 0;
                } catch (RuntimeException e) {
                    failures++;
                    Log.warnf("ingest batch of %d records failed %d time(s) in a row (%s); retrying it", batch.count(), failures,
                            e.getClass().getSimpleName());
                    rewind(c, batch);
                    backOff(failures);
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            running = false;
        }
    }

    /** Back to the first offset of each partition in the failed batch that this loop still owns: it will be read again. */
    private static void rewind(KafkaConsumer<String, byte[]> c, ConsumerRecords<String, byte[]> batch) {
        for (TopicPartition tp : batch.partitions()) {
            if (c.assignment().contains(tp)) { // a partition lost in a rebalance is its new owner's to read
                c.seek(tp, new OffsetAndMetadata(batch.records(tp).get(0).offset()));
            }
        }
    }

    /** Exponential back-off before retrying a failed batch: 0.5 s, 1 s, 2 s ... at most 30 s. */
    static Duration backOffAfter(int failures) {
        long millis = FIRST_BACKOFF.toMillis() << Math.min(failures - 1, 10);
        return Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
    }

    private void backOff(int failures) {
        try {
            Thread.sleep(backOffAfter(failures).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        ConsumerThreads.wakeAndJoin(consumer, thread, Duration.ofSeconds(10));
    }
}
