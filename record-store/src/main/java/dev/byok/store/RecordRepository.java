package dev.byok.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The {@code activity_record} table: sealed events, written in batches, each at most once. */
@ApplicationScoped
public class RecordRepository {
    private static final Set<String> ROW_FAULT_CLASSES = Set.of("22", "23", "54");

    /**
     * Whether PostgreSQL refused a row's data with this SQLSTATE (classes 22 data exception, 23
     * integrity constraint, 54 program limit), rather than failing as a store.
     */
    public static boolean refusedRow(String sqlState) {
        return sqlState != null && sqlState.length() >= 2 && ROW_FAULT_CLASSES.contains(sqlState.substring(0, 2));
    }

    /** One sealed event as stored. */
    public record SealedRecord(
            String tenantId, String eventId, UUID dekId, byte[] envelope, Instant occurredAt, Instant ingestedAt) {}

    /** A stored row as the read API needs it. */
    public record StoredRow(String eventId, UUID dekId, byte[] envelope, Instant occurredAt) {}

    private final Pool pool;
    private final RecordPartitions partitions;
    private final RecordCopy copy;
    private final MeterRegistry registry;

    public RecordRepository(Pool pool, RecordPartitions partitions, RecordCopy copy, MeterRegistry registry) {
        this.pool = pool;
        this.partitions = partitions;
        this.copy = copy;
        this.registry = registry;
    }

    /** One page of stored rows, and whether rows follow it. */
    public record StoredPage(List<StoredRow> rows, boolean more) {}

    /**
     * Rows of a tenant with occurredAt in [from, to), ordered by (occurredAt, eventId), strictly after
     * the cursor: at most {@code limit} rows and, after the first, no more envelope bytes than
     * {@code maxBytes}. The database sums the envelope lengths (without reading them) and sends only
     * the envelopes that fit; the row after the page comes without its envelope and tells that more follow.
     */
    public Uni<StoredPage> page(
            String tenantId, Instant from, Instant to, Instant afterTime, String afterId, int limit, long maxBytes) {
        return pool.preparedQuery("SELECT event_id, dek_id, occurred_at, n,"
                        + " CASE WHEN n <= $6 AND (n = 1 OR upto <= $7) THEN envelope END AS envelope FROM ("
                        + "  SELECT event_id, dek_id, envelope, occurred_at,"
                        + "   row_number() OVER w AS n, sum(octet_length(envelope)) OVER w AS upto"
                        + "  FROM activity_record"
                        + "  WHERE tenant_id = $1 AND occurred_at >= $2 AND occurred_at < $3 AND (occurred_at, event_id) > ($4, $5)"
                        + "  WINDOW w AS (ORDER BY occurred_at, event_id) ORDER BY occurred_at, event_id LIMIT $6 + 1) p"
                        + " ORDER BY occurred_at, event_id")
                .execute(Tuple.from(new Object[] {
                    tenantId,
                    from.atOffset(ZoneOffset.UTC),
                    to.atOffset(ZoneOffset.UTC),
                    afterTime.atOffset(ZoneOffset.UTC),
                    afterId,
                    limit,
                    maxBytes
                }))
                .map(rows -> {
                    List<StoredRow> page = new java.util.ArrayList<>();
                    boolean more = false;
                    for (io.vertx.mutiny.sqlclient.Row r : rows) {
                        if (more || r.getBuffer("envelope") == null) {
                            more = true; // past the row limit or the byte budget
                        } else {
                            page.add(new StoredRow(
                                    r.getString("event_id"),
                                    r.getUUID("dek_id"),
                                    r.getBuffer("envelope").getBytes(),
                                    r.getOffsetDateTime("occurred_at").toInstant()));
                        }
                    }
                    return new StoredPage(page, more);
                });
    }

    /** Whether the database answers at all (tells a refused row from an unavailable store). */
    public Uni<Boolean> reachable() {
        return pool.query("SELECT 1").execute().map(rows -> true).onFailure().recoverWithItem(false);
    }

    /**
     * Stores the batch, each event at most once. The fast way is one binary {@code COPY}
     * ({@link RecordCopy}); a COPY fails as a whole, and any failure of it — an event of the batch is
     * already stored (a redelivery), a row the table refuses, the JDBC pool or the server failing —
     * sends the batch the statement way ({@link #insertSkippingStored}), which leaves stored events as
     * they are and reports a refused row or an unavailable store as the caller expects. A day
     * partition the batch needs and this process has not seen is created first.
     */
    public Uni<Void> insertAll(List<SealedRecord> records) {
        if (records.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Set<LocalDate> days = new HashSet<>();
        for (SealedRecord r : records) {
            days.add(r.occurredAt().atOffset(ZoneOffset.UTC).toLocalDate());
        }
        // only the COPY falls back: a partition that could not be created is the store failing, not a refused row
        return partitions
                .ensure(days)
                .chain(() -> copy.copy(records)
                        .onFailure()
                        .invoke(this::countFallback)
                        .onFailure()
                        .recoverWithUni(() -> insertSkippingStored(records)));
    }

    /** {@code byok_records_copy_fallbacks_total{cause}}: a steady rise of cause "store" means COPY never works. */
    private void countFallback(Throwable failure) {
        Counter.builder("byok.records.copy.fallbacks")
                .description("batches the COPY did not store, written with INSERT instead, by cause")
                .tag("cause", RecordCopy.failureCause(failure))
                .register(registry)
                .increment();
    }

    /**
     * Inserts the batch in one statement: each column travels as one array parameter and
     * {@code unnest} turns them back into rows on the server (one parse, plan and acknowledgement per
     * batch, not per row as with a batched prepared INSERT). An event already stored is left as it is.
     */
    private Uni<Void> insertSkippingStored(List<SealedRecord> records) {
        int n = records.size();
        String[] tenants = new String[n];
        String[] eventIds = new String[n];
        UUID[] dekIds = new UUID[n];
        Buffer[] envelopes = new Buffer[n];
        OffsetDateTime[] occurred = new OffsetDateTime[n];
        OffsetDateTime[] ingested = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            SealedRecord r = records.get(i);
            tenants[i] = r.tenantId();
            eventIds[i] = r.eventId();
            dekIds[i] = r.dekId();
            envelopes[i] = Buffer.buffer(r.envelope());
            occurred[i] = r.occurredAt().atOffset(ZoneOffset.UTC);
            ingested[i] = r.ingestedAt().atOffset(ZoneOffset.UTC);
        }
        return pool.preparedQuery(
                        "INSERT INTO activity_record (tenant_id, event_id, dek_id, envelope, occurred_at, ingested_at)"
                                + " SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::uuid[], $4::bytea[],"
                                + " $5::timestamptz[], $6::timestamptz[]) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(tenants, eventIds, dekIds, envelopes, occurred, ingested))
                .replaceWithVoid();
    }
}
