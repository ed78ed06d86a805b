package dev.byok.sweeper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byok.emulator.EmulatorAdminClient;
import dev.byok.kms.KeyUsagePurpose;
import dev.byok.kms.KeyVersionId;
import dev.byok.kms.Kms;
import dev.byok.service.KmsStack;
import dev.byok.testsupport.KafkaTestResource;
import dev.byok.testsupport.KeyVaultEmulatorEndpoint;
import dev.byok.testsupport.KeyVaultEmulatorTestResource;
import dev.byok.testsupport.PostgresBackup;
import dev.byok.testsupport.PostgresEndpoint;
import dev.byok.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The attacker holds a {@code pg_dump} of the data plane and every key the service holds — but not
 * the customer's key, which the customer has revoked. No record older than the move's cut-off may
 * open: data written during an outage three days earlier had been moved to a DEK born under the
 * customer key before the dump. Records of a DEK still temporary at dump time (younger than the
 * cut-off) do open: that is the bound of the promise, and it shows the attacker's tools work.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KeyVaultEmulatorTestResource.class)
class StolenBackupIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final String tenant = "bk-" + UUID.randomUUID().toString().substring(0, 8);

    @Inject
    Pool pool;

    @Inject
    TenantDatas tenants;

    @Inject
    KmsStack kmsStack;

    @Test
    void aBackupTakenAfterTheMove_opensNoRecordOlderThanTheCutOff_withoutTheCustomerKey() throws Exception {
        TenantData data = tenants.of(tenant);
        KeyVersionId key = data.enableByok();
        UUID outage = data.write(Instant.now().minus(3, ChronoUnit.DAYS), 5, Optional.empty(), null, true);
        data.statusUntil(s -> s.complete() && s.bornProtected().deks() == 1); // moved: the old DEK destroyed
        UUID pending = data.write(Instant.now().minus(1, ChronoUnit.MINUTES), 3, Optional.empty(), null, true);
        setSealUntil(pending, Instant.now().plus(1, ChronoUnit.HOURS)); // still sealing: a key outage right now

        Path dir = Files.createDirectories(Path.of("target", "backups"));
        Path dump = PostgresBackup.dump(dir.resolve(tenant + ".sql"), "dek", "activity_record", "tenant_key");
        setSealUntil(pending, Instant.now()); // the outage ends: the pending DEK is moved too
        data.statusUntil(s -> s.complete() && s.bornProtected().deks() == 2);
        new EmulatorAdminClient(KeyVaultEmulatorEndpoint.emulator().adminUri())
                .updateVersion(
                        KeyVaultEmulatorEndpoint.VAULT,
                        key.key().name(),
                        key.version(),
                        Map.of("enabled", false)); // the customer revokes the key

        PostgresEndpoint.Connection restored = PostgresBackup.restore(dump);
        Kms kms = kmsStack.forTenant(tenant, Optional.empty(), KeyUsagePurpose.DEK_LOAD);
        Set<String> opened = openEveryRecord(restored, kms);

        assertThat(count(restored, "SELECT count(*) FROM dek WHERE tenant_id = ? AND id = '" + outage + "'"))
                .as("the outage's temporary DEK was destroyed before the dump")
                .isZero();
        assertThat(opened)
                .as("only the records of the DEK still temporary when the dump was taken, none older")
                .containsExactly(pending + "-0", pending + "-1", pending + "-2");
        assertThat(count(restored, "SELECT count(*) FROM activity_record WHERE tenant_id = ?"))
                .isEqualTo(8);
        assertThat(openEveryRecord(PostgresEndpoint.connection(), kms))
                .as("the live store, after the move: nothing without the customer key")
                .isEmpty();
    }

    /** Every record of the tenant that the service's keys and the KMS (the customer key revoked) open: event ids. */
    private Set<String> openEveryRecord(PostgresEndpoint.Connection db, Kms kms) throws SQLException {
        return new BackupReader(tenants.keyring(), kmsStack.ownVault()).openable(db, tenant, kms);
    }

    private long count(PostgresEndpoint.Connection db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, tenant);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private void setSealUntil(UUID dek, Instant at) {
        pool.preparedQuery("UPDATE dek SET seal_until = $2 WHERE id = $1")
                .execute(Tuple.of(dek, at.atOffset(java.time.ZoneOffset.UTC)))
                .await()
                .atMost(WAIT);
    }
}
