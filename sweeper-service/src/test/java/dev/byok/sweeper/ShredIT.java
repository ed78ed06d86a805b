package dev.byok.sweeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.byok.model.KeyConfigEvent;
import dev.byok.model.Topics;
import dev.byok.testsupport.KafkaTestResource;
import dev.byok.testsupport.KeyVaultEmulatorTestResource;
import dev.byok.testsupport.PostgresTestResource;
import dev.byok.testsupport.TenantRows;
import dev.byok.testsupport.TopicClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Crypto-shredding of an offboarded tenant. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KeyVaultEmulatorTestResource.class)
class ShredIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    Pool pool;

    @Inject
    TenantDatas tenants;

    @Test
    void offboardedTenant_losesItsKeysThenItsRecords_lateWritesToo_otherTenantsUntouched() {
        String tenant = "shred-" + UUID.randomUUID().toString().substring(0, 8);
        String neighbour = "keep-" + UUID.randomUUID().toString().substring(0, 8);
        TenantData data = data(tenant);
        TenantData kept = data(neighbour);
        data.write(Instant.now().minus(2, ChronoUnit.DAYS), 50, Optional.empty(), null, false);
        data.write(Instant.now().minus(1, ChronoUnit.DAYS), 50, Optional.empty(), null, false);
        kept.write(Instant.now().minus(1, ChronoUnit.DAYS), 5, Optional.empty(), null, false);

        TopicClient.publish(
                Topics.TENANT_KEY_CONFIG,
                tenant,
                new KeyConfigEvent.TenantOffboarded(tenant, 1, Instant.now(), "admin@contoso"));

        await().atMost(WAIT).until(() -> markers(tenant).recordsDeletedAt() != null);
        Markers markers = markers(tenant);
        assertThat(markers.keysDestroyedAt()).isNotNull();
        assertThat(data.deks()).isEmpty();
        assertThat(TenantRows.records(tenant)).isZero();

        data.write(Instant.now(), 3, Optional.empty(), null, false); // an ingest that had not yet seen the offboarding
        await().atMost(WAIT).until(() -> data.deks().isEmpty() && TenantRows.records(tenant) == 0);

        assertThat(kept.readAll(null)).hasSize(5);
    }

    private record Markers(OffsetDateTime keysDestroyedAt, OffsetDateTime recordsDeletedAt) {}

    /** The shred job's markers for the tenant (both null before it started). */
    private Markers markers(String tenant) {
        RowSet<Row> rows = pool.preparedQuery(
                        "SELECT keys_destroyed_at, records_deleted_at FROM shredded_tenant WHERE tenant_id = $1")
                .execute(Tuple.of(tenant))
                .await()
                .atMost(WAIT);
        if (!rows.iterator().hasNext()) {
            return new Markers(null, null);
        }
        Row row = rows.iterator().next();
        return new Markers(row.getOffsetDateTime("keys_destroyed_at"), row.getOffsetDateTime("records_deleted_at"));
    }

    private TenantData data(String tenant) {
        return tenants.of(tenant);
    }
}
