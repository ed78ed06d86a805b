package dev.byok.config;

import dev.byok.service.KafkaTopics;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes outbox rows in id order, then marks them. Runs on a worker thread (Kafka sends block
 * until acknowledged); the database work runs on a Vert.x context. A crash after publishing but
 * before marking republishes on the next run: consumers apply key-config events by revision, so a
 * duplicate is harmless. A crash before publishing loses nothing: the row is still there.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final int BATCH = 100;

    private final KafkaProducer<String, byte[]> producer;
    private volatile boolean paused;

    OutboxRelay(KafkaTopics topics) {
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, topics.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000), new StringSerializer(), new ByteArraySerializer());
    }

    @Scheduled(every = "${byok.outbox.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void relay() throws Throwable {
        if (paused) {
            return;
        }
        List<OutboxRecord> batch = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> OutboxRecord.unpublished(BATCH)));
        if (batch.isEmpty()) {
            return;
        }
        for (OutboxRecord record : batch) {
            producer.send(new ProducerRecord<>(record.topic, record.recordKey, record.payload)).get(30, TimeUnit.SECONDS);
        }
        List<Long> ids = batch.stream().map(r -> r.id).toList();
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> OutboxRecord.markPublished(ids, Instant.now())));
        Log.debugf("outbox relayed %d events", ids.size());
    }

    /** Stops relaying (as a crashed service would); for tests that prove the outbox survives. */
    void pause() {
        paused = true;
    }

    void resume() {
        paused = false;
    }

    @PreDestroy
    void close() {
        producer.close();
    }
}
