package dev.byok.ingest;

import dev.byok.model.ActivityEventParser;
import dev.byok.store.RecordRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;

/**
 * The ingest benchmark's plaintext baseline: the round's records read from the ingest topic, the same
 * validation, the same batches, as many batches written at once as the ingest channel writes
 * ({@code smallrye.messaging.worker.ingest-writers.max-concurrency}), and the product's own write
 * ({@link RecordRepository#insertAll}) into the same table, without DEKs or sealing. Rows go to tenant
 * {@code plain-<tenant>} so they never meet the encrypted pipeline's rows. Exists only here: the
 * product has no plaintext switch.
 */
final class PlaintextBaseline {
    private static final UUID NO_DEK = new UUID(0, 0);

    private final RecordRepository records;
    private final PassReader reader;
    private final int inFlight;

    /**
     * @param batch the most records per write: the ingest channel's {@code max.poll.records}
     * @param inFlight the most batches being written at once
     */
    PlaintextBaseline(RecordRepository records, int batch, int inFlight) {
        this.records = records;
        this.reader = new PassReader(batch);
        this.inFlight = inFlight;
    }

    /** Stores the {@code events} records of the given tenants from the offsets; returns events/s. */
    double run(Set<String> tenants, Map<TopicPartition, Long> from, int events) {
        ActivityEventParser parser = new ActivityEventParser(Clock.systemUTC());
        Deque<CompletableFuture<Void>> writing = new ArrayDeque<>();
        long start = System.nanoTime();
        reader.read(tenants, from, events, batch -> {
            List<RecordRepository.SealedRecord> rows = new ArrayList<>(batch.size());
            Instant now = Instant.now();
            for (var r : batch) {
                if (parser.parse(r.value()) instanceof ActivityEventParser.Valid valid) {
                    var event = valid.event();
                    rows.add(new RecordRepository.SealedRecord(
                            "plain-" + event.tenantId(),
                            event.eventId(),
                            NO_DEK,
                            r.value(), // stored as published, as the pipeline does
                            event.occurredAt(),
                            now));
                }
            }
            if (writing.size() == inFlight) {
                await(writing.removeFirst());
            }
            writing.addLast(records.insertAll(rows).subscribeAsCompletionStage());
        });
        writing.forEach(PlaintextBaseline::await);
        return events / ((System.nanoTime() - start) / 1e9);
    }

    private static void await(CompletableFuture<Void> write) {
        try {
            write.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("a baseline write failed", e);
        }
    }
}
