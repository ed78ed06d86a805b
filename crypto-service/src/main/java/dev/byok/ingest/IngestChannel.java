package dev.byok.ingest;

import dev.byok.store.RecordRepository;
import dev.byok.store.RecordRetention;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The ingest channel ({@code ingest}, a batch {@code @Incoming} of quarkus-messaging-kafka, group
 * {@code crypto-service}): each batch goes to the {@link BatchProcessor} on an {@code ingest-writers}
 * worker thread, three batches at a time ({@code smallrye.messaging.worker.ingest-writers.max-concurrency}),
 * so that batches are parsed and sealed while others are written. The batch is acknowledged only when
 * the handler returns, i.e. once its rows and dead letters are durable; the throttled commit
 * strategy commits a partition's offset only up to its oldest record not yet acknowledged, so a
 * batch that finishes before an older one commits nothing past it. At-least-once delivery thus
 * stores each event exactly once, and no single record can stall a partition (bad ones are
 * dead-lettered on the {@code ingest-dead-letters} channel). Any other failure retries the batch
 * here with exponential back-off while the connector keeps polling (and pauses the partitions when
 * its queue is full), so a long outage never costs the group membership; after
 * {@value #SUSPECT_AFTER} failures in a row, a record that fails alone while the store answers is
 * dead-lettered. Only an {@link Error} leaves the handler: the channel then fails and the
 * connector's liveness check goes DOWN. Metrics {@code byok_ingest_stored_total} and
 * {@code byok_ingest_dlq_total{rules}}.
 */
@Startup // its meters exist from the start, at 0
@ApplicationScoped
public class IngestChannel {
    static final int SUSPECT_AFTER = 3;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final BatchProcessor processor;
    private final Emitter<byte[]> deadLetters;
    private final CountDownLatch stopping = new CountDownLatch(1);

    IngestChannel(
            DekManager deks,
            RecordRepository records,
            RecordRetention retention,
            MeterRegistry registry,
            Clock clock,
            @Channel("ingest-dead-letters") Emitter<byte[]> deadLetters) {
        this.processor = new BatchProcessor(deks, records, meters(registry), clock, retention.retention());
        this.deadLetters = deadLetters;
    }

    @Incoming("ingest")
    @Blocking(value = "ingest-writers", ordered = false)
    void store(ConsumerRecords<String, byte[]> batch) {
        for (int failures = 1; ; failures++) {
            try {
                processor.process(batch, deadLetters, failures > SUSPECT_AFTER);
                return;
            } catch (RuntimeException e) {
                if (stopping.getCount() == 0) {
                    throw e; // not acknowledged: the group's next owner reads the batch again
                }
                Log.warnf(
                        "ingest batch of %d records failed %d time(s) in a row (%s); retrying it",
                        batch.count(), failures, causes(e));
                backOff(failures);
            }
        }
    }

    /**
     * The failure's cause chain as class names and SQLSTATEs, e.g. {@code IllegalStateException <
     * PgException 40P01}: enough to tell the failure apart, without messages (a database message may
     * quote stored values).
     */
    static String causes(Throwable failure) {
        StringBuilder chain = new StringBuilder();
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 5; t = t.getCause(), depth++) {
            chain.append(depth == 0 ? "" : " < ").append(t.getClass().getSimpleName());
            if (t instanceof io.vertx.sqlclient.DatabaseException db && db.getSqlState() != null) {
                chain.append(' ').append(db.getSqlState());
            }
        }
        return chain.toString();
    }

    /** Exponential back-off before retrying a failed batch: 0.5 s, 1 s, 2 s ... at most 30 s. */
    static Duration backOffAfter(int failures) {
        long millis = FIRST_BACKOFF.toMillis() << Math.min(failures - 1, 10);
        return Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
    }

    /** Waits before the next attempt; shutdown cuts the wait short. */
    private void backOff(int failures) {
        try {
            stopping.await(backOffAfter(failures).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping.countDown();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopping.countDown();
    }

    private static IngestMetrics meters(MeterRegistry registry) {
        Counter stored = Counter.builder("byok.ingest.stored")
                .description("activity events sealed and stored")
                .register(registry);
        return new IngestMetrics() {
            @Override
            public void stored(int events) {
                stored.increment(events);
            }

            @Override
            public void rejected(String rules) {
                Counter.builder("byok.ingest.dlq")
                        .description("records sent to the dead-letter topic, by violated rules")
                        .tag("rules", rules)
                        .register(registry)
                        .increment();
            }
        };
    }
}
