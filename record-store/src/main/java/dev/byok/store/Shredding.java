package dev.byok.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Crypto-shredding's statements. Each step commits together with its marker in
 * {@code shredded_tenant}: whoever sees the DEKs gone sees {@code keys_destroyed_at}, and whoever sees
 * the last records gone sees {@code records_deleted_at}. Idempotent, so replicas may overlap.
 */
@ApplicationScoped
public class Shredding {
    private final Pool pool;

    Shredding(Pool pool) {
        this.pool = pool;
    }

    /**
     * Deletes every DEK row of the tenant, its tenant key row and its re-encryption state; returns how
     * many DEKs went. Called once the tenant key is purged from the vault ({@link TenantKeyStore#destroy}).
     */
    public Uni<Integer> destroyKeys(String tenantId, Instant at) {
        OffsetDateTime when = at.atOffset(ZoneOffset.UTC);
        return pool.withTransaction(tx -> tx.preparedQuery(
                        "INSERT INTO shredded_tenant (tenant_id, requested_at) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(tenantId, when))
                .flatMap(r ->
                        tx.preparedQuery("DELETE FROM dek WHERE tenant_id = $1").execute(Tuple.of(tenantId)))
                .call(r -> tx.preparedQuery("DELETE FROM reencryption WHERE tenant_id = $1")
                        .execute(Tuple.of(tenantId)))
                .call(r -> tx.preparedQuery("DELETE FROM tenant_key WHERE tenant_id = $1")
                        .execute(Tuple.of(tenantId)))
                .call(r -> mark(tx, "tenant_key_purged_at", tenantId, when))
                .call(r -> mark(tx, "keys_destroyed_at", tenantId, when))
                .map(r -> r.rowCount()));
    }

    /** Whether the tenant's key was already purged from the vault (its DEK rows went with that step). */
    public Uni<Boolean> tenantKeyPurged(String tenantId) {
        return pool.preparedQuery(
                        "SELECT 1 FROM shredded_tenant WHERE tenant_id = $1 AND tenant_key_purged_at IS NOT NULL")
                .execute(Tuple.of(tenantId))
                .map(rows -> rows.size() > 0);
    }

    /** Deletes up to {@code batch} records of the tenant; the batch that finds fewer marks the records deleted. */
    public Uni<Integer> deleteRecords(String tenantId, Instant at, int batch) {
        OffsetDateTime when = at.atOffset(ZoneOffset.UTC);
        return pool.withTransaction(
                tx -> tx.preparedQuery("DELETE FROM activity_record WHERE tenant_id = $1 AND (occurred_at, event_id) IN"
                                + " (SELECT occurred_at, event_id FROM activity_record WHERE tenant_id = $1 LIMIT $2)")
                        .execute(Tuple.of(tenantId, batch))
                        .call(r -> r.rowCount() < batch
                                ? mark(tx, "records_deleted_at", tenantId, when)
                                : Uni.createFrom().voidItem())
                        .map(r -> r.rowCount()));
    }

    /** Sets one step's marker the first time that step completes. */
    private static Uni<?> mark(SqlConnection tx, String column, String tenantId, OffsetDateTime at) {
        return tx.preparedQuery("UPDATE shredded_tenant SET " + column + " = $2 WHERE tenant_id = $1 AND " + column
                        + " IS NULL")
                .execute(Tuple.of(tenantId, at));
    }
}
