package dev.byok.sweeper;

import dev.byok.service.KeyConfigs;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Crypto-shredding of offboarded tenants: first every DEK row is deleted, then the records
 * themselves, in batches. Runs on every sweep for every offboarded tenant, so anything written late
 * (an ingest that had not yet seen the offboarding) is shredded too; idempotent, so replicas may
 * overlap. Each step commits together with its marker in {@code shredded_tenant}: whoever sees the
 * DEKs gone sees {@code keys_destroyed_at}, and whoever sees the last records gone sees
 * {@code records_deleted_at}. This covers the live store only: a backup taken before the shred still
 * holds the tenant's wrapped DEKs, which the long-lived managed keyring unwraps.
 */
@ApplicationScoped
public class ShredJob {
    private static final Duration TIMEOUT = Duration.ofMinutes(1);
    private static final int DELETE_BATCH = 5_000;

    private final Pool pool;
    private final KeyConfigs keyConfigs;
    private final SweeperMetrics metrics;

    ShredJob(Pool pool, KeyConfigs keyConfigs, SweeperMetrics metrics) {
        this.pool = pool;
        this.keyConfigs = keyConfigs;
        this.metrics = metrics;
    }

    void run(Instant now) {
        keyConfigs.snapshot().keySet().stream().filter(keyConfigs::offboarded).forEach(tenant -> shred(tenant, now));
    }

    private void shred(String tenant, Instant now) {
        OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
        int destroyed = pool.withTransaction(tx -> tx.preparedQuery(
                                "INSERT INTO shredded_tenant (tenant_id, requested_at) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                        .execute(Tuple.of(tenant, at))
                        .flatMap(r -> tx.preparedQuery("DELETE FROM dek WHERE tenant_id = $1").execute(Tuple.of(tenant)))
                        .call(r -> tx.preparedQuery("DELETE FROM reencryption WHERE tenant_id = $1").execute(Tuple.of(tenant)))
                        .call(r -> mark(tx, "keys_destroyed_at", tenant, at))
                        .map(r -> r.rowCount()))
                .await().atMost(TIMEOUT);
        metrics.converged("shred", "destroyed", destroyed);
        int deleted;
        do {
            deleted = pool.withTransaction(tx -> tx.preparedQuery(
                                    "DELETE FROM activity_record WHERE ctid IN (SELECT ctid FROM activity_record WHERE tenant_id = $1 LIMIT $2)")
                            .execute(Tuple.of(tenant, DELETE_BATCH))
                            .call(r -> r.rowCount() < DELETE_BATCH ? mark(tx, "records_deleted_at", tenant, at) : Uni.createFrom().voidItem())
                            .map(r -> r.rowCount()))
                    .await().atMost(TIMEOUT);
            metrics.recordsShredded(deleted);
        } while (deleted == DELETE_BATCH);
    }

    /** Sets one step's marker the first time that step completes. */
    private static Uni<?> mark(SqlConnection tx, String column, String tenant, OffsetDateTime at) {
        return tx.preparedQuery("UPDATE shredded_tenant SET " + column + " = $2 WHERE tenant_id = $1 AND " + column + " IS NULL")
                .execute(Tuple.of(tenant, at));
    }
}
