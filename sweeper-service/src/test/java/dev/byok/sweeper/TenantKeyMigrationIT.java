package dev.byok.sweeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.byok.crypto.WrappedDek;
import dev.byok.kms.KeyUsagePurpose;
import dev.byok.kms.KeyVersionId;
import dev.byok.kms.Kms;
import dev.byok.service.KmsStack;
import dev.byok.testsupport.KafkaTestResource;
import dev.byok.testsupport.KeyVaultEmulatorTestResource;
import dev.byok.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * DEKs written before tenant keys (under the global keyring, format 1) move under their tenant's key
 * online: their records stay readable throughout and are not rewritten; a customer-wrapped one keeps
 * its customer key version and stays born protected.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KeyVaultEmulatorTestResource.class)
class TenantKeyMigrationIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    TenantDatas tenants;

    @Inject
    KmsStack kmsStack;

    @Test
    void keyringDeks_moveUnderTheTenantKey_withTheirRecordsUntouched() {
        String managedTenant = "mig-" + UUID.randomUUID().toString().substring(0, 8);
        String byokTenant = "migb-" + UUID.randomUUID().toString().substring(0, 8);
        TenantData managed = tenants.of(managedTenant);
        TenantData byok = tenants.of(byokTenant);
        KeyVersionId key = byok.enableByok();
        Kms kms = kmsStack.forTenant(byokTenant, Optional.empty(), KeyUsagePurpose.DEK_LOAD);
        managed.writeUnderKeyring(Instant.now().minus(1, ChronoUnit.HOURS), 3, Optional.empty(), null, false);
        byok.writeUnderKeyring(Instant.now().minus(1, ChronoUnit.HOURS), 4, Optional.of(key), kms, false);
        var managedBefore = managed.readAll(null);
        var byokBefore = byok.readAll(kms);

        await().atMost(WAIT).until(() -> underTenantKey(managed) && underTenantKey(byok));

        assertThat(managed.readAll(null)).isEqualTo(managedBefore).hasSize(3);
        assertThat(byok.readAll(kms)).isEqualTo(byokBefore).hasSize(4);
        assertThat(byok.deksUnder(key)).isEqualTo(1);
        assertThat(byok.statusUntil(s -> s.complete()).bornProtected().deks())
                .as("moving the managed layer made no managed-only copy")
                .isEqualTo(1);
        await().atMost(WAIT)
                .until(() -> RestAssured.get("/q/metrics").asString().contains("byok_sweeper_keyring_deks 0.0"));
    }

    private static boolean underTenantKey(TenantData data) {
        return !data.deks().isEmpty()
                && data.deks().stream().allMatch(d -> d.wrapped().format() == WrappedDek.Format.TENANT_KEY);
    }
}
