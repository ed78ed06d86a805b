package dev.byok.sweeper;

import dev.byok.service.KeyConfigs;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Crypto-shredding of offboarded tenants: first every DEK row is deleted (nothing can decrypt the
 * records any more, whatever copies of them exist), then the records themselves, in batches. Runs
 * on every sweep for every offboarded tenant, so anything written late (an ingest that had not yet
 * seen the offboarding) is shredded too; idempotent, so replicas may overlap.
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
        pool.preparedQuery("INSERT INTO shredded_tenant (tenant_id, requested_at) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(tenant, now.atOffset(ZoneOffset.UTC))).await().atMost(TIMEOUT);
        int destroyed = pool.preparedQuery("DELETE FROM dek WHERE tenant_id = $1").execute(Tuple.of(tenant)).await().atMost(TIMEOUT).rowCount();
        pool.preparedQuery("DELETE FROM reencryption WHERE tenant_id = $1").execute(Tuple.of(tenant)).await().atMost(TIMEOUT);
        metrics.converged("shred", "destroyed", destroyed);
        pool.preparedQuery("UPDATE shredded_tenant SET keys_destroyed_at = $2 WHERE tenant_id = $1 AND keys_destroyed_at IS NULL")
                .execute(Tuple.of(tenant, now.atOffset(ZoneOffset.UTC))).await().atMost(TIMEOUT);
        int deleted;
        do {
            deleted = pool.preparedQuery("DELETE FROM activity_record WHERE ctid IN (SELECT ctid FROM activity_record WHERE tenant_id = $1 LIMIT $2)")
                    .execute(Tuple.of(tenant, DELETE_BATCH)).await().atMost(TIMEOUT).rowCount();
            metrics.recordsShredded(deleted);
        } while (deleted > 0);
        pool.preparedQuery("UPDATE shredded_tenant SET records_deleted_at = $2 WHERE tenant_id = $1 AND records_deleted_at IS NULL")
                .execute(Tuple.of(tenant, now.atOffset(ZoneOffset.UTC))).await().atMost(TIMEOUT);
    }
}
