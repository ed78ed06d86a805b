package dev.byok.sweeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.byok.crypto.WrappedDek;
import dev.byok.model.KeyConfigEvent;
import dev.byok.model.Topics;
import dev.byok.service.KmsStack;
import dev.byok.testsupport.KafkaTestResource;
import dev.byok.testsupport.KeyVaultEmulatorEndpoint;
import dev.byok.testsupport.KeyVaultEmulatorTestResource;
import dev.byok.testsupport.PostgresBackup;
import dev.byok.testsupport.PostgresEndpoint;
import dev.byok.testsupport.PostgresTestResource;
import dev.byok.testsupport.TopicClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The attacker holds a {@code pg_dump} taken before a tenant was offboarded, and everything the
 * service still holds afterwards: the managed keyring, the service's own vault, the customer-key KMS.
 * Not one record of the offboarded tenant opens from it — its tenant key was purged from the vault
 * first — while another tenant in the same dump still opens whole. The offboarded tenant's data
 * included a DEK written before tenant keys (under the keyring), which the sweeper had moved before
 * the dump.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KeyVaultEmulatorTestResource.class)
class ShreddedBackupIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    Pool pool;

    @Inject
    TenantDatas tenants;

    @Inject
    KmsStack kmsStack;

    @Test
    void aBackupTakenBeforeOffboarding_opensNothingOfTheTenant_andStillOpensTheOthers() throws Exception {
        String gone = "off-" + UUID.randomUUID().toString().substring(0, 8);
        String kept = "kept-" + UUID.randomUUID().toString().substring(0, 8);
        TenantData offboarded = tenants.of(gone);
        TenantData neighbour = tenants.of(kept);
        offboarded.writeUnderKeyring(Instant.now().minus(2, ChronoUnit.HOURS), 4, Optional.empty(), null, false);
        offboarded.write(Instant.now().minus(1, ChronoUnit.HOURS), 5, Optional.empty(), null, false);
        neighbour.write(Instant.now().minus(1, ChronoUnit.HOURS), 3, Optional.empty(), null, false);
        await().atMost(WAIT)
                .until(() -> offboarded.deks().stream()
                        .allMatch(d -> d.wrapped().format() == WrappedDek.Format.TENANT_KEY)); // migrated

        Path dir = Files.createDirectories(Path.of("target", "backups"));
        Path dump = PostgresBackup.dump(dir.resolve(gone + ".sql"), "dek", "activity_record", "tenant_key");
        TopicClient.publish(
                Topics.TENANT_KEY_CONFIG, gone, new KeyConfigEvent.TenantOffboarded(gone, 1, Instant.now(), "admin"));
        await().atMost(WAIT).until(() -> shredded(gone));

        PostgresEndpoint.Connection restored = PostgresBackup.restore(dump);
        BackupReader attacker = new BackupReader(tenants.keyring(), kmsStack.ownVault());

        assertThat(attacker.openable(restored, gone, null))
                .as("the offboarded tenant's 9 records are in the dump, and none opens")
                .isEmpty();
        assertThat(count(restored, gone)).isEqualTo(9);
        assertThat(attacker.openable(restored, kept, null))
                .as("the other tenant in the same dump opens whole")
                .hasSize(3);
        assertThat(KeyVaultEmulatorEndpoint.emulator()
                        .vault(KeyVaultEmulatorEndpoint.OWN_VAULT)
                        .hasKey("tenant-" + gone))
                .isFalse();
    }

    /** The shred job's last step is done: records gone, after the tenant key was purged. */
    private boolean shredded(String tenant) {
        return pool.preparedQuery("SELECT 1 FROM shredded_tenant WHERE tenant_id = $1"
                                + " AND tenant_key_purged_at IS NOT NULL AND records_deleted_at IS NOT NULL")
                        .execute(Tuple.of(tenant))
                        .await()
                        .atMost(WAIT)
                        .size()
                == 1;
    }

    private static long count(PostgresEndpoint.Connection db, String tenant) throws Exception {
        try (var c = java.sql.DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                var s = c.prepareStatement("SELECT count(*) FROM activity_record WHERE tenant_id = ?")) {
            s.setString(1, tenant);
            try (var r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
