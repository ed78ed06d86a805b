package dev.byok.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.byok.crypto.Dek;
import dev.byok.crypto.WrappedDek;
import dev.byok.emulator.EmulatorAdminClient;
import dev.byok.emulator.Faults;
import dev.byok.kms.KmsFutures;
import dev.byok.store.DekRepository;
import dev.byok.store.TenantKeyUnavailableException;
import dev.byok.store.TenantKeys;
import dev.byok.testsupport.JwtTestResource;
import dev.byok.testsupport.KafkaTestResource;
import dev.byok.testsupport.KeyVaultEmulatorEndpoint;
import dev.byok.testsupport.KeyVaultEmulatorTestResource;
import dev.byok.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tenant keys in the service's own vault, as ingest uses them: what they cost in Key Vault calls,
 * and what an outage of that vault does (it is the service's, never the customer's key failing).
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KeyVaultEmulatorTestResource.class)
@QuarkusTestResource(JwtTestResource.class)
class TenantKeyIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String OWN_VAULT = KeyVaultEmulatorEndpoint.OWN_VAULT;
    private final EmulatorAdminClient admin =
            new EmulatorAdminClient(KeyVaultEmulatorEndpoint.emulator().adminUri());

    @Inject
    DekManager deks;

    @Inject
    DekRepository repository;

    @Inject
    TenantKeys keys;

    @AfterEach
    void clearFaults() {
        admin.clearFaults(OWN_VAULT);
    }

    @Test
    void aNewTenant_costsOneCreateAndOneWrap_andItsDeksAfterwardsNoCall() {
        String tenant = "tk-" + UUID.randomUUID().toString().substring(0, 8);
        admin.resetCounters(OWN_VAULT);

        Dek dek = deks.currentFor(tenant).await().atMost(WAIT);
        DekRepository.StoredDek stored =
                repository.find(dek.id()).await().atMost(WAIT).orElseThrow();
        for (int i = 0; i < 100; i++) { // every later DEK load of this tenant in this process
            assertThat(KmsFutures.join(keys.unwrap(stored)).id()).isEqualTo(dek.id());
        }

        assertThat(stored.wrapped().format()).isEqualTo(WrappedDek.Format.TENANT_KEY);
        assertThat(calls(admin.counters(OWN_VAULT)))
                .containsEntry("create", 1L)
                .containsEntry("wrapkey", 1L)
                .containsEntry("unwrapkey", 0L);
    }

    @Test
    void anOutageOfTheServicesVault_failsAsTheServicesOwn_andHealsWithoutARestart() {
        String tenant = "tk-" + UUID.randomUUID().toString().substring(0, 8);
        admin.setFaults(OWN_VAULT, Faults.blockedByFirewall());

        assertThatThrownBy(() -> deks.currentFor(tenant).await().atMost(WAIT))
                .isInstanceOf(TenantKeyUnavailableException.class)
                .hasMessageContaining("the tenant key of " + tenant + " cannot be loaded from the service's vault");

        admin.clearFaults(OWN_VAULT);
        Dek dek = deks.currentFor(tenant).await().atMost(WAIT);
        assertThat(repository.find(dek.id()).await().atMost(WAIT)).isPresent();
    }

    private static Map<String, Long> calls(Map<String, Long> counters) {
        return Map.of(
                "create", counters.getOrDefault("create", 0L),
                "wrapkey", counters.getOrDefault("wrapkey", 0L),
                "unwrapkey", counters.getOrDefault("unwrapkey", 0L));
    }
}
