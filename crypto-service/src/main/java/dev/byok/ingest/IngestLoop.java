package dev.byok.ingest;

import dev.byok.store.RecordRepository;

import dev.byok.crypto.Dek;
import dev.byok.kafka.ConsumerThreads;
import dev.byok.crypto.RecordEnvelope;
import dev.byok.model.ActivityEvent;
import dev.byok.model.ActivityEventParser;
import dev.byok.model.EventCodec;
import dev.byok.model.Topics;
import dev.byok.model.Violation;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The ingest loop (plain kafka-clients, its own thread; several may share one group): consumes the ingest topic in batches: invalid records go to the DLQ with every
 * reason in headers and their original key and bytes; valid events are sealed under their tenant's
 * current DEK and written in one batch ({@code ON CONFLICT DO NOTHING}); offsets are committed only
 * after the write and the DLQ sends are acknowledged. At-least-once delivery thus stores each event
 * exactly once. A failed write rewinds to the batch and retries it after a pause.
 */
public final class IngestLoop implements AutoCloseable {
    private final String bootstrapServers;
    private final DekManager deks;
    private final RecordRepository records;
    private final String groupId;
    private final ActivityEventParser parser = new ActivityEventParser(Clock.systemUTC());
    private final Thread thread;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;

    private final AtomicLong stored = new AtomicLong();
    private volatile int assignedPartitions;

    private final IngestMetrics metrics;

    private final String topic;
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);

    IngestLoop(String bootstrapServers, String groupId, DekManager deks, RecordRepository records, IngestMetrics metrics) {
        this(bootstrapServers, groupId, deks, records, metrics, Topics.ACTIVITY_INGEST);
    }

    /** A loop over another topic than the ingest topic: benchmarks replay a prepared topic through it. */
    IngestLoop(String bootstrapServers, String groupId, DekManager deks, RecordRepository records, IngestMetrics metrics, String topic) {
        this.metrics = metrics;
        this.topic = topic;
        this.bootstrapServers = bootstrapServers;
        this.deks = deks;
        this.records = records;
        this.groupId = groupId;
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
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerProps(), new StringDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<String, byte[]> dlq = new KafkaProducer<>(producerProps(), new StringSerializer(), new ByteArraySerializer())) {
            consumer = c;
            c.subscribe(List.of(topic));
            while (running) {
                ConsumerRecords<String, byte[]> batch = c.poll(Duration.ofMillis(500));
                assignedPartitions = c.assignment().size();
                if (batch.isEmpty()) {
                    continue;
                }
                try {
                    process(batch, dlq);
                    c.commitSync();
                } catch (RuntimeException e) {
                    Log.warnf("ingest batch of %d records failed (%s); retrying it", batch.count(), e.getClass().getSimpleName());
                    rewind(c, batch);
                    pause();
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            running = false;
        }
    }

    private void process(ConsumerRecords<String, byte[]> batch, KafkaProducer<String, byte[]> dlq) {
        Instant now = Instant.now();
        List<ActivityEvent> valid = new ArrayList<>();
        List<Future<?>> rejected = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : batch) {
            ActivityEventParser.Result result = parser.parse(record.value());
            if (result instanceof ActivityEventParser.Valid v && !v.event().tenantId().equals(record.key())) {
                result = new ActivityEventParser.Invalid(List.of(new Violation("$", "key",
                        "the record key must be the event's tenantId (records are partitioned by tenant)")));
            } else if (result instanceof ActivityEventParser.Valid v && deks.offboarded(v.event().tenantId())) {
                result = new ActivityEventParser.Invalid(List.of(new Violation("tenantId", "offboarded",
                        "tenant " + v.event().tenantId() + " was offboarded and its data crypto-shredded; its events are no longer accepted")));
            }
            if (result instanceof ActivityEventParser.Invalid invalid) {
                rejected.add(dlq.send(deadLetter(record, invalid)));
                metrics.rejected(invalid.rules());
            } else {
                valid.add(((ActivityEventParser.Valid) result).event());
            }
        }
        Map<String, Dek> used = currentDeks(valid);
        List<RecordRepository.SealedRecord> sealed = new ArrayList<>(valid.size());
        for (ActivityEvent event : valid) {
            Dek dek = used.get(event.tenantId());
            if (!dek.usableAt(now)) { // its record bound was reached within this batch
                dek = deks.currentFor(event.tenantId()).await().atMost(DB_TIMEOUT);
                used.put(event.tenantId(), dek);
            }
            sealed.add(new RecordRepository.SealedRecord(event.tenantId(), event.eventId(), dek.id(),
                    RecordEnvelope.seal(dek, event.eventId(), EventCodec.encode(event)), event.occurredAt(), now));
        }
        // rows and the DEKs' sealed counts in parallel (two pooled connections): both must be durable before the commit
        Uni.combine().all().unis(records.insertAll(sealed), deks.checkpoint(used.values())).discardItems().await().atMost(DB_TIMEOUT);
        stored.addAndGet(sealed.size());
        metrics.stored(sealed.size());
        for (Future<?> f : rejected) {
            try {
                f.get(DB_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("the dead-letter topic did not acknowledge a record", e);
            }
        }
    }

    /**
     * The current DEK of every tenant in the batch, looked up concurrently: tenants needing a new DEK
     * (and a customer wrap) wait for the slowest of them once, not for the sum.
     */
    private Map<String, Dek> currentDeks(List<ActivityEvent> events) {
        List<String> tenants = events.stream().map(ActivityEvent::tenantId).distinct().toList();
        if (tenants.isEmpty()) {
            return new HashMap<>();
        }
        List<Dek> found = Uni.join().all(tenants.stream().map(deks::currentFor).toList()).andFailFast().await().atMost(DB_TIMEOUT);
        Map<String, Dek> byTenant = new HashMap<>();
        for (int i = 0; i < tenants.size(); i++) {
            byTenant.put(tenants.get(i), found.get(i));
        }
        return byTenant;
    }

    private static ProducerRecord<String, byte[]> deadLetter(ConsumerRecord<String, byte[]> record, ActivityEventParser.Invalid invalid) {
        ProducerRecord<String, byte[]> out = new ProducerRecord<>(Topics.ACTIVITY_INGEST_DLQ, record.key(), record.value());
        out.headers().add(Topics.DLQ_HEADER_RULES, invalid.rules().getBytes(StandardCharsets.UTF_8));
        out.headers().add(Topics.DLQ_HEADER_REASON, invalid.reason().getBytes(StandardCharsets.UTF_8));
        out.headers().add(Topics.DLQ_HEADER_SOURCE_TOPIC, record.topic().getBytes(StandardCharsets.UTF_8));
        out.headers().add(Topics.DLQ_HEADER_SOURCE_PARTITION, Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
        out.headers().add(Topics.DLQ_HEADER_SOURCE_OFFSET, Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
        return out;
    }

    /** Back to the first offset of each partition in the failed batch: it will be read again. */
    private static void rewind(KafkaConsumer<String, byte[]> c, ConsumerRecords<String, byte[]> batch) {
        for (TopicPartition tp : batch.partitions()) {
            c.seek(tp, new OffsetAndMetadata(batch.records(tp).get(0).offset()));
        }
    }

    private static void pause() {
        try {
            Thread.sleep(1000); // back-off before retrying a failed batch
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Properties consumerProps() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        return p;
    }

    private Properties producerProps() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return p;
    }

    @Override
    public void close() {
        running = false;
        ConsumerThreads.wakeAndJoin(consumer, thread, Duration.ofSeconds(10));
    }
}
