package dev.byok.config;

import dev.byok.model.KeyUsageAudit;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The stored key-use audit of every tenant (table {@code key_usage}): written by {@link KeyUsageAuditReader}, paged per tenant. */
@ApplicationScoped
public class KeyUsageLog {
    /** An audit record and its position on the topic, which identifies it. */
    record Entry(KeyUsageAudit audit, int partition, long offset) {}

    private final Pool pool;

    KeyUsageLog(Pool pool) {
        this.pool = pool;
    }

    /** Stores the entries; one already stored (a redelivery) is left as it is. */
    Uni<Void> store(List<Entry> entries) {
        if (entries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            KeyUsageAudit a = e.audit();
            rows.add(Tuple.tuple(List.of(
                    a.tenantId(),
                    a.occurredAt().atOffset(ZoneOffset.UTC),
                    a.source(),
                    a.purpose().name(),
                    a.operation().name(),
                    a.keyId(),
                    a.outcome(),
                    a.latencyMs(),
                    e.partition(),
                    e.offset())));
        }
        return pool.preparedQuery(
                        "INSERT INTO key_usage (tenant_id, occurred_at, service, purpose, operation, key_id, outcome, latency_ms,"
                                + " topic_partition, topic_offset) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
                                + " ON CONFLICT (topic_partition, topic_offset) DO NOTHING")
                .executeBatch(rows)
                .replaceWithVoid();
    }

    /** The tenant's key uses older than {@code before} (a previous page's cursor; 0 = from the newest), newest first. */
    Uni<KeyUse.Page> page(String tenantId, long before, int limit) {
        return pool.preparedQuery(
                        "SELECT id, occurred_at, service, purpose, key_id, operation, outcome, latency_ms FROM key_usage"
                                + " WHERE tenant_id = $1 AND ($2 = 0 OR id < $2) ORDER BY id DESC LIMIT $3")
                .execute(Tuple.of(tenantId, before, limit + 1))
                .map(rows -> {
                    List<KeyUse> items = new ArrayList<>();
                    for (Row r : rows) {
                        items.add(new KeyUse(
                                r.getLong("id"),
                                r.getOffsetDateTime("occurred_at").toInstant(),
                                r.getString("service"),
                                r.getString("purpose"),
                                r.getString("key_id"),
                                r.getString("operation"),
                                r.getString("outcome"),
                                r.getLong("latency_ms")));
                    }
                    boolean more = items.size() > limit;
                    List<KeyUse> page = more ? items.subList(0, limit) : items;
                    return new KeyUse.Page(
                            List.copyOf(page),
                            more ? Long.toString(page.get(limit - 1).id()) : null);
                });
    }

    /** Forgets key uses that occurred before {@code cutoff}; completes with how many. */
    Uni<Integer> deleteBefore(Instant cutoff) {
        return pool.preparedQuery("DELETE FROM key_usage WHERE occurred_at < $1")
                .execute(Tuple.of(cutoff.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.rowCount());
    }
}
