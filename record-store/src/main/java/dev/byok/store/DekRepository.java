package dev.byok.store;

import dev.byok.crypto.WrappedDek;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntConsumer;

/** The {@code dek} table, through the reactive PostgreSQL client. */
@ApplicationScoped
public class DekRepository {
    /** A DEK row: the wrapped key and what the sweeper and readers need to know about it. */
    public record StoredDek(
            UUID id, String tenantId, WrappedDek wrapped, boolean pending, Instant createdAt, long recordsSealed) {
        public Optional<String> customerKeyId() {
            return wrapped instanceof WrappedDek.CustomerWrapped c ? Optional.of(c.customerKeyId()) : Optional.empty();
        }
    }

    /**
     * A group of a tenant's DEKs: same customer key version (empty: managed only), pending flag,
     * quarantine and birth (under the customer key or not); how many, the records they sealed, the oldest.
     */
    public record DekGroup(
            String tenantId,
            Optional<String> customerKeyId,
            boolean pending,
            boolean quarantined,
            boolean bornProtected,
            long count,
            long records,
            Instant oldest) {}

    private final Pool pool;

    public DekRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Stores a new DEK. It is born protected when it is stored with its customer layer; no process
     * seals new records under it after {@code sealUntil}.
     */
    public Uni<Void> insert(StoredDek dek, Instant sealUntil) {
        return pool.preparedQuery("INSERT INTO dek (id, tenant_id, wrapped, customer_key_id, pending, created_at,"
                        + " records_sealed, born_protected, seal_until) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                .execute(Tuple.from(new Object[] {
                    dek.id(),
                    dek.tenantId(),
                    Buffer.buffer(dek.wrapped().encode()),
                    dek.customerKeyId().orElse(null),
                    dek.pending(),
                    dek.createdAt().atOffset(ZoneOffset.UTC),
                    dek.recordsSealed(),
                    dek.wrapped() instanceof WrappedDek.CustomerWrapped,
                    sealUntil.atOffset(ZoneOffset.UTC)
                }))
                .replaceWithVoid();
    }

    /** Its creator stopped sealing new records under the DEK at {@code at} (never moves the time later). */
    public Uni<Void> retire(UUID id, Instant at) {
        return pool.preparedQuery("UPDATE dek SET seal_until = LEAST(seal_until, $2) WHERE id = $1")
                .execute(Tuple.of(id, at.atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    /** Raises the stored counts of records DEKs sealed (never lowers them): the nonce budget survives restarts. */
    public Uni<Void> recordSealed(Map<UUID, Long> sealedById) {
        if (sealedById.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // in id order: batches in flight update overlapping DEK rows in one transaction each, and locking them in
        // the same order cannot deadlock
        return pool.preparedQuery("UPDATE dek SET records_sealed = GREATEST(records_sealed, $2) WHERE id = $1")
                .executeBatch(sealedById.entrySet().stream()
                        .sorted(Map.Entry.comparingByKey())
                        .map(e -> Tuple.of(e.getKey(), e.getValue()))
                        .toList())
                .replaceWithVoid();
    }

    public Uni<Optional<StoredDek>> find(UUID id) {
        return pool.preparedQuery(
                        "SELECT id, tenant_id, wrapped, pending, created_at, records_sealed FROM dek WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows -> rows.iterator().hasNext()
                        ? Optional.of(toDek(rows.iterator().next()))
                        : Optional.empty());
    }

    /** Leases on DEK rows held by {@code owner} for {@code lease}; {@code quarantined} hears how many claimed rows were set aside. */
    public DekLeases leases(String owner, Duration lease, IntConsumer quarantined) {
        return new DekLeases(pool, owner, lease, quarantined);
    }

    /** The DEKs of these tenants, counted by group (the protection status is computed from it). */
    public Uni<List<DekGroup>> census(Collection<String> tenantIds) {
        if (tenantIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return pool.preparedQuery(
                        "SELECT tenant_id, customer_key_id, pending, quarantined_at IS NOT NULL AS quarantined, born_protected,"
                                + " count(*) AS n, sum(records_sealed)::bigint AS records, min(created_at) AS oldest"
                                + " FROM dek WHERE tenant_id = ANY($1) GROUP BY 1, 2, 3, 4, 5")
                .execute(Tuple.of(tenantIds.toArray(new String[0])))
                .map(rows -> {
                    List<DekGroup> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new DekGroup(
                            r.getString("tenant_id"),
                            Optional.ofNullable(r.getString("customer_key_id")),
                            r.getBoolean("pending"),
                            r.getBoolean("quarantined"),
                            r.getBoolean("born_protected"),
                            r.getLong("n"),
                            r.getLong("records"),
                            r.getOffsetDateTime("oldest").toInstant())));
                    return out;
                });
    }

    /**
     * How many DEKs are still under the global keyring (format 1): the tenant-key migration's remaining
     * work. Quarantined rows (whose bytes do not parse) are counted as quarantined instead.
     */
    public Uni<Long> keyringDeks() {
        return pool.preparedQuery("SELECT count(*) FROM dek WHERE get_byte(wrapped, 0) = 1 AND quarantined_at IS NULL")
                .execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** Reads a DEK row selected with at least id, tenant_id, wrapped, pending, created_at, records_sealed. */
    public static StoredDek toDek(Row row) {
        return new StoredDek(
                row.getUUID("id"),
                row.getString("tenant_id"),
                WrappedDek.decode(row.getBuffer("wrapped").getBytes()),
                row.getBoolean("pending"),
                row.getOffsetDateTime("created_at").toInstant(),
                row.getLong("records_sealed"));
    }
}
