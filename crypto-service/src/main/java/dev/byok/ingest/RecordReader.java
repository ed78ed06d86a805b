package dev.byok.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byok.crypto.Dek;
import dev.byok.crypto.RecordEnvelope;
import dev.byok.kms.InvalidCiphertextException;
import dev.byok.kms.KeyAccessFailure;
import dev.byok.kms.KeyOperation;
import dev.byok.kms.KmsException;
import dev.byok.service.KeyAccessReporter;
import dev.byok.service.KmsUni;
import dev.byok.service.Problem;
import dev.byok.store.DekRepository;
import dev.byok.store.RecordRepository;
import dev.byok.store.TenantKeyUnavailableException;
import dev.byok.store.TenantKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads a tenant's events back: loads each record's DEK (cached, bounded by size and TTL; unwrapped
 * through every layer, so a revoked customer key stops reads within the TTL), authenticates and
 * decrypts. A record that fails authentication is reported as corrupted and counted — never
 * returned as data. A customer key that cannot unwrap is a 503 and a reported key-access failure.
 * Memory is bounded twice: a page stops at {@code byok.read.page-max-bytes} of stored envelopes as
 * well as at its row limit, and at most {@code byok.read.max-concurrent-pages} pages are read at once
 * (the next read gets 503 with Retry-After): a burst of large reads cannot exhaust the heap.
 */
@ApplicationScoped
public class RecordReader {
    /** One page of events, the records that failed authentication, and the cursor of the next page. */
    public record Page(List<JsonNode> events, List<Corrupted> corrupted, String next) {}

    public record Corrupted(String eventId, String reason) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RecordRepository records;
    private final DekRepository deks;
    private final TenantKeys keys;
    private final KeyAccessReporter reporter;
    private final DekCache cache;
    private final Counter corruptedCounter;
    private final long pageMaxBytes;
    private final Semaphore pagesInFlight;

    RecordReader(
            RecordRepository records,
            DekRepository deks,
            TenantKeys keys,
            KeyAccessReporter reporter,
            MeterRegistry registry,
            Clock clock,
            @ConfigProperty(name = "byok.read.dek-cache.max-entries", defaultValue = "10000") int maxEntries,
            @ConfigProperty(name = "byok.read.dek-cache.ttl", defaultValue = "PT5M") Duration ttl,
            @ConfigProperty(name = "byok.read.page-max-bytes", defaultValue = "4194304") long pageMaxBytes,
            @ConfigProperty(name = "byok.read.max-concurrent-pages", defaultValue = "4") int maxConcurrentPages) {
        this.records = records;
        this.deks = deks;
        this.keys = keys;
        this.reporter = reporter;
        this.cache = new DekCache(maxEntries, ttl, clock);
        this.corruptedCounter = Counter.builder("byok.records.corrupted")
                .description("stored records that failed authentication on read")
                .register(registry);
        this.pageMaxBytes = pageMaxBytes;
        this.pagesInFlight = new Semaphore(maxConcurrentPages);
    }

    Uni<Page> read(String tenantId, Instant from, Instant to, PageCursor after, int limit) {
        if (!pagesInFlight.tryAcquire()) {
            return Uni.createFrom()
                    .failure(new Problem(
                            503,
                            "Too many concurrent reads",
                            "this replica is reading as many pages as its memory allows; retry shortly",
                            Map.of("retryAfterSeconds", 1)));
        }
        return records.page(tenantId, from, to, after.occurredAt(), after.eventId(), limit, pageMaxBytes)
                .flatMap(page -> open(tenantId, page))
                .eventually(() -> pagesInFlight.release()); // on item, failure and cancellation alike
    }

    private Uni<Page> open(String tenantId, RecordRepository.StoredPage page) {
        List<RecordRepository.StoredRow> rows = page.rows();
        // the page's few DEKs, loaded side by side (a chain per row would nest one Uni per record)
        List<UUID> dekIds =
                rows.stream().map(RecordRepository.StoredRow::dekId).distinct().toList();
        List<Uni<Optional<Dek>>> loads = dekIds.stream()
                .map(id -> dek(tenantId, id)
                        .map(Optional::of)
                        .onFailure(InvalidCiphertextException.class)
                        .recoverWithItem(Optional.empty()))
                .toList();
        Uni<List<Optional<Dek>>> loaded = loads.isEmpty()
                ? Uni.createFrom().item(List.of())
                : Uni.join().all(loads).andFailFast();
        return loaded.map(found -> {
            Map<UUID, Optional<Dek>> byId = new HashMap<>();
            for (int i = 0; i < dekIds.size(); i++) {
                byId.put(dekIds.get(i), found.get(i));
            }
            List<JsonNode> events = new ArrayList<>();
            List<Corrupted> corrupted = new ArrayList<>();
            for (RecordRepository.StoredRow row : rows) {
                Optional<Dek> dek = byId.get(row.dekId());
                if (dek.isPresent()) {
                    open(tenantId, dek.get(), row, events, corrupted);
                } else {
                    corrupt(row, corrupted); // its DEK is missing, another tenant's, or fails authentication
                }
            }
            RecordRepository.StoredRow last = rows.isEmpty() ? null : rows.get(rows.size() - 1);
            return new Page(
                    events,
                    corrupted,
                    page.more() && last != null ? new PageCursor(last.occurredAt(), last.eventId()).encode() : null);
        });
    }

    private void open(
            String tenantId,
            Dek dek,
            RecordRepository.StoredRow row,
            List<JsonNode> events,
            List<Corrupted> corrupted) {
        try {
            events.add(JSON.readTree(RecordEnvelope.open(dek, tenantId, row.eventId(), row.envelope())));
        } catch (InvalidCiphertextException | IOException e) {
            corrupt(row, corrupted);
        }
    }

    private void corrupt(RecordRepository.StoredRow row, List<Corrupted> corrupted) {
        corruptedCounter.increment();
        corrupted.add(new Corrupted(row.eventId(), "the stored record failed authentication"));
    }

    private Uni<Dek> dek(String tenantId, UUID dekId) {
        return cache.get(tenantId, dekId)
                .map(d -> Uni.createFrom().item(d))
                .orElseGet(() -> deks.find(dekId).flatMap(found -> {
                    if (found.isEmpty() || !found.get().tenantId().equals(tenantId)) {
                        return Uni.createFrom().failure(new InvalidCiphertextException());
                    }
                    DekRepository.StoredDek stored = found.get();
                    return KmsUni.of(() -> keys.unwrap(stored))
                            .onFailure(KmsException.class)
                            .transform(e -> keyUnavailable(tenantId, stored, KmsException.class.cast(e)))
                            .onFailure(TenantKeyUnavailableException.class)
                            .transform(e -> new Problem(503, "Service key unavailable", e.getMessage()))
                            .invoke(cache::put);
                }));
    }

    private Problem keyUnavailable(String tenantId, DekRepository.StoredDek stored, KmsException e) {
        reporter.failed(tenantId, stored.customerKeyId().orElse("managed"), KeyOperation.UNWRAP, e);
        KeyAccessFailure failure = e.failure();
        return new Problem(
                503, "Customer key unavailable", "the tenant's key cannot unwrap its data: " + failure.description());
    }
}
