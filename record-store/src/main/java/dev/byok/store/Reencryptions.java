package dev.byok.store;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Crypto-period re-encryption's state: each old DEK's target, and moving records from one to the other. */
@ApplicationScoped
public class Reencryptions {
    /** A record still under the old DEK. */
    public record Sealed(String eventId, Instant occurredAt, byte[] envelope) {
        /** Where the next page starts. */
        public Page next() {
            return new Page(eventId, occurredAt);
        }
    }

    /** A record re-sealed under the target DEK. */
    public record Moved(String eventId, Instant occurredAt, byte[] envelope) {}

    /** Paging position within one day of a DEK's records: (eventId, occurredAt), as the activity_by_dek index orders them. */
    public record Page(String eventId, Instant occurredAt) {
        public static final Page FIRST = new Page("", Instant.EPOCH);
    }

    private final Pool pool;

    public Reencryptions(Pool pool) {
        this.pool = pool;
    }

    public Uni<Optional<UUID>> target(UUID oldDekId) {
        return pool.preparedQuery("SELECT target_dek_id FROM reencryption WHERE old_dek_id = $1")
                .execute(Tuple.of(oldDekId))
                .map(rows -> rows.iterator().hasNext()
                        ? Optional.of(rows.iterator().next().getUUID(0))
                        : Optional.empty());
    }

    public Uni<Void> start(UUID oldDekId, String tenantId, UUID targetDekId, Instant now) {
        return pool.preparedQuery(
                        "INSERT INTO reencryption (old_dek_id, tenant_id, target_dek_id, started_at) VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(oldDekId, tenantId, targetDekId, now.atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    /**
     * The UTC days (day partitions) that hold the tenant's records under {@code dekId}, oldest first: the
     * records are then read and moved one partition at a time, by statements on that partition's table
     * alone (a statement on {@code activity_record} plans every partition of the retention window).
     */
    public Uni<List<LocalDate>> days(String tenantId, UUID dekId) {
        return pool.preparedQuery("SELECT DISTINCT (occurred_at AT TIME ZONE 'UTC')::date AS day FROM activity_record"
                        + " WHERE dek_id = $1 AND tenant_id = $2 ORDER BY day")
                .execute(Tuple.of(dekId, tenantId))
                .map(rows -> {
                    List<LocalDate> out = new ArrayList<>();
                    rows.forEach(r -> out.add(r.getLocalDate("day")));
                    return out;
                });
    }

    /**
     * The DEK's tenant's next records of one day under {@code dekId} after {@code after}, in (event id,
     * occurredAt) order, the order of the activity_by_dek index (a row of another tenant naming this DEK
     * is a forgery: it stays behind and reads as corrupted).
     */
    public Uni<List<Sealed>> next(String tenantId, UUID dekId, LocalDate day, Page after, int limit) {
        return pool.preparedQuery("SELECT event_id, occurred_at, envelope FROM " + RecordPartitions.table(day)
                        + " WHERE dek_id = $1 AND tenant_id = $4 AND (event_id, occurred_at) > ($2, $5)"
                        + " ORDER BY event_id, occurred_at LIMIT $3")
                .execute(Tuple.of(
                        dekId,
                        after.eventId(),
                        limit,
                        tenantId,
                        after.occurredAt().atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    List<Sealed> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new Sealed(
                            r.getString("event_id"),
                            r.getOffsetDateTime("occurred_at").toInstant(),
                            r.getBuffer("envelope").getBytes())));
                    return out;
                });
    }

    /**
     * In one transaction: one page of {@link #next}, re-sealed and in its order, moves to the target DEK
     * (one statement on the day's partition: the rows travel as arrays), and the target's sealed count is
     * raised (its nonce budget). The rows updated are bounded to the page's range of activity_by_dek, so
     * no plan joins the page against all of the DEK's records of that day.
     */
    public Uni<Void> move(
            String tenantId, UUID fromDekId, UUID toDekId, long toSealed, LocalDate day, List<Moved> moved) {
        if (moved.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String[] eventIds = new String[moved.size()];
        OffsetDateTime[] occurred = new OffsetDateTime[moved.size()];
        Buffer[] envelopes = new Buffer[moved.size()];
        for (int i = 0; i < moved.size(); i++) {
            eventIds[i] = moved.get(i).eventId();
            occurred[i] = moved.get(i).occurredAt().atOffset(ZoneOffset.UTC);
            envelopes[i] = Buffer.buffer(moved.get(i).envelope());
        }
        return pool.withTransaction(conn -> conn.preparedQuery("UPDATE " + RecordPartitions.table(day)
                        + " r SET dek_id = $4, envelope = m.envelope"
                        + " FROM unnest($2::varchar[], $5::timestamptz[], $6::bytea[]) AS m(event_id, occurred_at, envelope)"
                        + " WHERE r.tenant_id = $1 AND r.dek_id = $3"
                        + " AND (r.event_id, r.occurred_at) BETWEEN ($2[1], $5[1]) AND ($2[$7], $5[$7])"
                        + " AND r.occurred_at = m.occurred_at AND r.event_id = m.event_id")
                .execute(Tuple.from(
                        new Object[] {tenantId, eventIds, fromDekId, toDekId, occurred, envelopes, moved.size()}))
                .flatMap(ignored -> conn.preparedQuery(
                                "UPDATE dek SET records_sealed = GREATEST(records_sealed, $2) WHERE id = $1")
                        .execute(Tuple.of(toDekId, toSealed)))
                .replaceWithVoid());
    }

    public Uni<Void> markCorrupted(UUID oldDekId, long corrupted) {
        return pool.preparedQuery("UPDATE reencryption SET corrupted_records = $2 WHERE old_dek_id = $1")
                .execute(Tuple.of(oldDekId, corrupted))
                .replaceWithVoid();
    }

    public Uni<Void> finish(UUID oldDekId) {
        return pool.preparedQuery("DELETE FROM reencryption WHERE old_dek_id = $1")
                .execute(Tuple.of(oldDekId))
                .replaceWithVoid();
    }
}
