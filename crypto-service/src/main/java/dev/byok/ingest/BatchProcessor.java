package dev.byok.ingest;

import dev.byok.crypto.Dek;
import dev.byok.crypto.RecordEnvelope;
import dev.byok.model.ActivityEvent;
import dev.byok.model.ActivityEventParser;
import dev.byok.model.Violation;
import dev.byok.service.ChannelRecords;
import dev.byok.store.RecordRepository;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * One ingest batch, start to durable end: invalid records become dead letters ({@link DeadLetter});
 * valid events are sealed under their tenant's current DEK and written together, records the store
 * refuses are found and dead-lettered too ({@link IsolatingWriter}). Returns only once the rows,
 * the DEKs' sealed counts and every dead letter are durable, so the caller may commit the offsets;
 * throws when any of them is not (the caller retries the whole batch).
 */
final class BatchProcessor {
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);
    static final int DEAD_LETTERS_IN_FLIGHT = 256;
    /** New DEKs one record may need when other batches in flight keep using up small record bounds. */
    private static final int MAX_DEKS_PER_RECORD = 8;

    private final DekManager deks;
    private final IsolatingWriter writer;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final ActivityEventParser parser;
    private final Duration retention;

    BatchProcessor(DekManager deks, RecordRepository records, IngestMetrics metrics, Clock clock, Duration retention) {
        this.deks = deks;
        this.retention = retention;
        this.writer = new IsolatingWriter(records, DB_TIMEOUT);
        this.metrics = metrics;
        this.clock = clock;
        this.parser = new ActivityEventParser(clock);
    }

    /**
     * Processes the batch; returns how many events it stored (redeliveries included).
     *
     * @param suspectEveryFailure the batch already failed repeatedly (see {@link IsolatingWriter#write})
     */
    int process(Iterable<ConsumerRecord<String, byte[]>> batch, Emitter<byte[]> dlq, boolean suspectEveryFailure) {
        Instant now = clock.instant();
        List<ProducerRecord<String, byte[]>> deadLetters = new ArrayList<>();
        List<ConsumerRecord<String, byte[]>> sources = new ArrayList<>();
        List<ActivityEvent> valid = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : batch) {
            ActivityEventParser.Result result = check(record, now);
            if (result instanceof ActivityEventParser.Invalid invalid) {
                deadLetters.add(reject(record, invalid.rules(), invalid.reason()));
            } else {
                sources.add(record);
                valid.add(((ActivityEventParser.Valid) result).event());
            }
        }
        Map<String, Dek> used = currentDeks(valid);
        List<IsolatingWriter.Row> rows = seal(sources, valid, used, now, deadLetters);
        // the DEKs' sealed counts on a second pooled connection while the rows are written: both must be durable before
        // the commit
        CompletableFuture<Void> checkpoint = deks.checkpoint(used.values()).subscribeAsCompletionStage();
        List<IsolatingWriter.Refused> refused = writer.write(rows, suspectEveryFailure);
        for (IsolatingWriter.Refused r : refused) {
            deadLetters.add(reject(r.source(), "unstorable", r.reason()));
        }
        await(checkpoint, "the DEK checkpoint did not complete");
        metrics.stored(rows.size() - refused.size());
        send(deadLetters, dlq);
        return rows.size() - refused.size();
    }

    /**
     * Sends the dead letters with at most {@value #DEAD_LETTERS_IN_FLIGHT} unacknowledged at once: a
     * batch may be all dead letters, and the channel refuses records beyond its buffer and the
     * producer's in-flight limit (1,024), shared by the batches in flight.
     */
    private static void send(List<ProducerRecord<String, byte[]>> deadLetters, Emitter<byte[]> dlq) {
        Deque<Future<?>> unacknowledged = new ArrayDeque<>();
        for (ProducerRecord<String, byte[]> r : deadLetters) {
            if (unacknowledged.size() == DEAD_LETTERS_IN_FLIGHT) {
                await(unacknowledged.removeFirst(), "the dead-letter topic did not acknowledge a record");
            }
            unacknowledged.addLast(ChannelRecords.send(dlq, r).toCompletableFuture());
        }
        for (Future<?> f : unacknowledged) {
            await(f, "the dead-letter topic did not acknowledge a record");
        }
    }

    /**
     * Parses the record and checks what the parser cannot know: the partition key, whether the tenant
     * was offboarded, and whether the event is already past the deployment's retention.
     */
    private ActivityEventParser.Result check(ConsumerRecord<String, byte[]> record, Instant now) {
        ActivityEventParser.Result result = parser.parse(record.value());
        if (result instanceof ActivityEventParser.Valid v
                && v.event().occurredAt().isBefore(now.minus(retention))) {
            return new ActivityEventParser.Invalid(List.of(new Violation(
                    "occurredAt",
                    "retention",
                    "occurredAt is older than this deployment keeps records (" + retention.toDays()
                            + " days): it would be deleted at once")));
        }
        if (result instanceof ActivityEventParser.Valid v
                && !v.event().tenantId().equals(record.key())) {
            return new ActivityEventParser.Invalid(List.of(new Violation(
                    "$", "key", "the record key must be the event's tenantId (records are partitioned by tenant)")));
        }
        if (result instanceof ActivityEventParser.Valid v
                && deks.offboarded(v.event().tenantId())) {
            return new ActivityEventParser.Invalid(List.of(new Violation(
                    "tenantId",
                    "offboarded",
                    "tenant " + v.event().tenantId()
                            + " was offboarded and its data crypto-shredded; its events are no longer accepted")));
        }
        return result;
    }

    /**
     * Seals each event under its tenant's DEK; an event that cannot be sealed is dead-lettered. What
     * is sealed is the record's value as the producer published it, now known to be a valid event
     * (re-encoding it took ~40 % of the ingest threads' CPU time and changed nothing a reader needs:
     * docs/architecture.md, Ingest).
     */
    private List<IsolatingWriter.Row> seal(
            List<ConsumerRecord<String, byte[]>> sources,
            List<ActivityEvent> events,
            Map<String, Dek> used,
            Instant now,
            List<ProducerRecord<String, byte[]>> deadLetters) {
        List<IsolatingWriter.Row> rows = new ArrayList<>(events.size());
        for (int i : byTenant(events)) {
            ActivityEvent event = events.get(i);
            Dek dek = used.get(event.tenantId());
            if (!dek.usableAt(now)) { // its record bound was reached within this batch
                dek = nextDek(event.tenantId(), used);
            }
            try {
                byte[] envelope = null;
                for (int attempt = 1; envelope == null; attempt++) {
                    try {
                        envelope = RecordEnvelope.seal(
                                dek, event.eventId(), sources.get(i).value());
                    } catch (IllegalStateException boundReached) { // another batch in flight took its last records
                        if (attempt == MAX_DEKS_PER_RECORD) {
                            throw boundReached;
                        }
                        dek = nextDek(event.tenantId(), used);
                    }
                }
                rows.add(new IsolatingWriter.Row(
                        sources.get(i),
                        new RecordRepository.SealedRecord(
                                event.tenantId(), event.eventId(), dek.id(), envelope, event.occurredAt(), now)));
            } catch (IllegalArgumentException e) {
                deadLetters.add(reject(
                        sources.get(i),
                        "unsealable",
                        "the event could not be sealed (" + e.getClass().getSimpleName() + ")"));
            }
        }
        return rows;
    }

    /**
     * The events' indices grouped by tenant (in arrival order within a tenant): sealing one tenant's
     * events in a row lets the thread's cipher keep its expanded key (the JDK's AES re-expands the key
     * only when it changes), where a partition's tenants otherwise alternate record by record.
     */
    private static int[] byTenant(List<ActivityEvent> events) {
        return IntStream.range(0, events.size())
                .boxed()
                .sorted(Comparator.comparing(i -> events.get(i).tenantId()))
                .mapToInt(Integer::intValue)
                .toArray();
    }

    /** The tenant's current DEK, replacing the used-up one among the batch's DEKs. */
    private Dek nextDek(String tenantId, Map<String, Dek> used) {
        Dek dek = deks.currentFor(tenantId).await().atMost(DB_TIMEOUT);
        used.put(tenantId, dek);
        return dek;
    }

    private ProducerRecord<String, byte[]> reject(ConsumerRecord<String, byte[]> record, String rules, String reason) {
        metrics.rejected(rules);
        return DeadLetter.of(record, rules, reason);
    }

    /**
     * The current DEK of every tenant in the batch, looked up concurrently: tenants needing a new DEK
     * wait for the slowest of them once, not for the sum.
     */
    private Map<String, Dek> currentDeks(List<ActivityEvent> events) {
        List<String> tenants =
                events.stream().map(ActivityEvent::tenantId).distinct().toList();
        Map<String, Dek> byTenant = new HashMap<>();
        if (tenants.isEmpty()) {
            return byTenant;
        }
        List<Dek> found = Uni.join()
                .all(tenants.stream().map(deks::currentFor).toList())
                .andFailFast()
                .await()
                .atMost(DB_TIMEOUT);
        for (int i = 0; i < tenants.size(); i++) {
            byTenant.put(tenants.get(i), found.get(i));
        }
        return byTenant;
    }

    private static void await(Future<?> future, String failure) {
        try {
            future.get(DB_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(failure, e);
        } catch (Exception e) {
            throw new IllegalStateException(failure, e);
        }
    }
}
