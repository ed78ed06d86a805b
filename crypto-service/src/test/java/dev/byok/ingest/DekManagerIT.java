package dev.byok.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.byok.crypto.Dek;
import dev.byok.crypto.RecordEnvelope;
import dev.byok.crypto.WrappedDek;
import dev.byok.emulator.EmulatorAdminClient;
import dev.byok.kms.KeyAccessFailure;
import dev.byok.kms.KeyVersionId;
import dev.byok.model.KeyAccessEvent;
import dev.byok.model.KeyConfigEvent;
import dev.byok.model.TenantLockState;
import dev.byok.model.Topics;
import dev.byok.service.Gate;
import dev.byok.store.DekRepository;
import dev.byok.store.KeyConfigs;
import dev.byok.testsupport.JwtTestResource;
import dev.byok.testsupport.KafkaTestResource;
import dev.byok.testsupport.KeyVaultEmulatorEndpoint;
import dev.byok.testsupport.KeyVaultEmulatorTestResource;
import dev.byok.testsupport.PostgresTestResource;
import dev.byok.testsupport.TenantRows;
import dev.byok.testsupport.TopicClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** DEK lifecycle on the real PostgreSQL, broker and Key Vault emulator. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KeyVaultEmulatorTestResource.class)
@QuarkusTestResource(JwtTestResource.class)
class DekManagerIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final EmulatorAdminClient admin =
            new EmulatorAdminClient(KeyVaultEmulatorEndpoint.emulator().adminUri());
    private final String tenant = "dek-" + UUID.randomUUID().toString().substring(0, 8);

    @Inject
    DekManager deks;

    @Inject
    DekRepository repository;

    @Inject
    KeyConfigs keyConfigs;

    @Inject
    Gate gate;

    @Test
    void managedOnlyTenant_getsAManagedDek_reusedWithinItsBounds() {
        Dek first = deks.currentFor(tenant).await().atMost(WAIT);
        Dek again = deks.currentFor(tenant).await().atMost(WAIT);

        DekRepository.StoredDek stored = stored(first);
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(stored.wrapped()).isInstanceOf(WrappedDek.ManagedOnly.class);
        assertThat(stored.pending()).isFalse();
    }

    @Test
    void twoBatchesAtOnce_ofATenantWithoutADek_getTheSameNewDek() {
        List<Dek> both = Uni.join()
                .all(deks.currentFor(tenant), deks.currentFor(tenant))
                .andFailFast()
                .await()
                .atMost(WAIT);

        assertThat(both.get(1).id()).isEqualTo(both.get(0).id());
        assertThat(deks.currentFor(tenant).await().atMost(WAIT).id())
                .isEqualTo(both.get(0).id());
    }

    @Test
    void byokTenant_sealsUnderATemporaryDek_untilADekBornUnderItsKeyReplacesIt() throws Exception {
        KeyVersionId key = enableByok();
        admin.resetCounters(KeyVaultEmulatorEndpoint.VAULT);

        Dek temporary = deks.currentFor(tenant).await().atMost(WAIT);
        Dek born = await().atMost(WAIT)
                .until(
                        () -> deks.currentFor(tenant).await().atMost(WAIT),
                        dek -> !dek.id().equals(temporary.id()));

        assertThat(stored(temporary).pending())
                .as("the temporary DEK never gets a customer layer")
                .isTrue();
        assertThat(stored(temporary).wrapped()).isInstanceOf(WrappedDek.ManagedOnly.class);
        assertThat(sealUntil(temporary)).as("retired once replaced").isBeforeOrEqualTo(Instant.now());
        assertThat(stored(born).customerKeyId()).contains(key.toString());
        assertThat(stored(born).pending()).isFalse();
        assertThat(bornProtected(born))
                .as("stored only once under the customer key")
                .isTrue();
        assertThat(bornProtected(temporary)).isFalse();
        assertThat(admin.counters(KeyVaultEmulatorEndpoint.VAULT)).containsEntry("wrapkey", 1L);
        byte[] sealed = RecordEnvelope.seal(born, "e-1", "{}".getBytes());
        assertThat(RecordEnvelope.open(born, tenant, "e-1", sealed)).isEqualTo("{}".getBytes());
    }

    @Test
    void failingCustomerWrap_storesAPendingDek_andReportsTheFailure() throws Exception {
        KeyVersionId key = enableByok();
        admin.updateVersion(KeyVaultEmulatorEndpoint.VAULT, key.key().name(), key.version(), Map.of("enabled", false));

        Dek dek = deks.currentFor(tenant).await().atMost(WAIT);

        DekRepository.StoredDek stored = stored(dek);
        assertThat(stored.pending()).isTrue();
        assertThat(stored.wrapped()).isInstanceOf(WrappedDek.ManagedOnly.class);
        assertThat(keyAccessFailures()).anySatisfy(f -> {
            assertThat(f.failure()).isEqualTo(KeyAccessFailure.KEY_DISABLED);
            assertThat(f.source()).isEqualTo("crypto-service");
        });
    }

    @Test
    void unreadableKeyConfig_getsAPendingDek_ingestGoesOn() throws Exception {
        TopicClient.publish(
                Topics.TENANT_KEY_CONFIG,
                tenant,
                new KeyConfigEvent.KeyEnabled(
                        tenant, 1, Instant.now(), "https://v.vault.azure.net/keys/k", "not-a-key-id"));
        await().atMost(WAIT).until(() -> keyConfigs.unreadable(tenant).isPresent());
        admin.resetCounters(KeyVaultEmulatorEndpoint.VAULT);

        Dek dek = deks.currentFor(tenant).await().atMost(WAIT);

        assertThat(stored(dek).pending())
                .as("waits for a readable configuration, like a locked tenant's")
                .isTrue();
        assertThat(admin.counters(KeyVaultEmulatorEndpoint.VAULT)).doesNotContainKey("wrapkey");
    }

    @Test
    void lockedTenant_getsAPendingDek_withoutCallingTheVault() throws Exception {
        enableByok();
        TopicClient.publish(
                Topics.TENANT_LOCK_STATE,
                tenant,
                TenantLockState.locked(tenant, KeyAccessFailure.KEY_DISABLED, "the key is disabled", Instant.now()));
        await().atMost(WAIT).until(() -> gate.gate().state(tenant).isPresent());
        admin.resetCounters(KeyVaultEmulatorEndpoint.VAULT);

        Dek dek = deks.currentFor(tenant).await().atMost(WAIT);

        assertThat(stored(dek).pending()).isTrue();
        assertThat(admin.counters(KeyVaultEmulatorEndpoint.VAULT)).doesNotContainKey("wrapkey");
    }

    @Test
    void keyVersionRolled_nextRecordsGetADekBornUnderTheNewVersion() throws Exception {
        KeyVersionId first = enableByok();
        Dek before = deks.currentFor(tenant).await().atMost(WAIT);
        KeyVersionId second = KeyVersionId.parse(
                admin.rotate(KeyVaultEmulatorEndpoint.VAULT, first.key().name()));

        TopicClient.publish(
                Topics.TENANT_KEY_CONFIG,
                tenant,
                new KeyConfigEvent.KeyVersionRolled(
                        tenant, 2, Instant.now(), first.key().toString(), first.toString(), second.toString()));
        await().atMost(WAIT).until(() -> keyConfigs.customerKey(tenant).equals(Optional.of(second)));

        Dek after = await().atMost(WAIT)
                .until(
                        () -> deks.currentFor(tenant).await().atMost(WAIT),
                        dek -> stored(dek).customerKeyId().isPresent());
        assertThat(after.id()).isNotEqualTo(before.id());
        assertThat(stored(after).customerKeyId()).contains(second.toString());
        assertThat(sealUntil(before)).as("retired by the roll").isBeforeOrEqualTo(Instant.now());
    }

    @Test
    void slowVault_temporaryDekInUseAtOnce_replacedWhenTheVaultAnswers() throws Exception {
        KeyVersionId key = enableByok();
        admin.setFaults(
                KeyVaultEmulatorEndpoint.VAULT,
                new dev.byok.emulator.Faults(
                        false,
                        dev.byok.emulator.Faults.Unreachable.NONE,
                        1_000,
                        null,
                        null,
                        0,
                        false)); // each answer a second late (still within the HTTP timeout)
        try {
            Dek temporary = deks.currentFor(tenant).await().atMost(WAIT);
            assertThat(stored(temporary).pending())
                    .as("ingest did not wait for the vault")
                    .isTrue();

            Dek born = await().atMost(WAIT)
                    .until(
                            () -> deks.currentFor(tenant).await().atMost(WAIT),
                            dek -> !dek.id().equals(temporary.id()));
            assertThat(stored(born).customerKeyId()).contains(key.toString());
            assertThat(bornProtected(born)).isTrue();
        } finally {
            admin.clearFaults(KeyVaultEmulatorEndpoint.VAULT);
        }
    }

    @Test
    void silentVault_dekStaysPending_andTheFailureReportedAsUnreachable() throws Exception {
        enableByok();
        admin.setFaults(
                KeyVaultEmulatorEndpoint.VAULT,
                new dev.byok.emulator.Faults(
                        false, dev.byok.emulator.Faults.Unreachable.SILENT, 0, null, null, 0, false));
        try {
            Dek dek = deks.currentFor(tenant).await().atMost(WAIT);

            assertThat(stored(dek).pending()).isTrue();
            assertThat(keyAccessFailures())
                    .first()
                    .satisfies(f -> assertThat(f.failure()).isEqualTo(KeyAccessFailure.VAULT_UNREACHABLE));
        } finally {
            admin.clearFaults(KeyVaultEmulatorEndpoint.VAULT);
        }
    }

    private KeyVersionId enableByok() throws Exception {
        KeyVersionId key = KeyVersionId.parse(admin.createKey(KeyVaultEmulatorEndpoint.VAULT, tenant, "RSA", 2048));
        TopicClient.publish(
                Topics.TENANT_KEY_CONFIG,
                tenant,
                new KeyConfigEvent.KeyEnabled(
                        tenant, 1, Instant.now(), key.key().toString(), key.toString()));
        await().atMost(WAIT).until(() -> keyConfigs.customerKey(tenant).isPresent());
        return key;
    }

    private static Instant sealUntil(Dek dek) {
        return Instant.ofEpochMilli(TenantRows.count(
                "SELECT (extract(epoch FROM seal_until) * 1000)::bigint FROM dek WHERE id = ?", dek.id()));
    }

    private static boolean bornProtected(Dek dek) {
        return TenantRows.count("SELECT count(*) FROM dek WHERE id = ? AND born_protected", dek.id()) == 1;
    }

    private DekRepository.StoredDek stored(Dek dek) {
        return repository.find(dek.id()).await().atMost(WAIT).orElseThrow();
    }

    private List<KeyAccessEvent.Failed> keyAccessFailures() {
        return TopicClient.readUntil(
                        Topics.KEY_ACCESS,
                        tenant,
                        KeyAccessEvent.class,
                        events -> events.stream().anyMatch(KeyAccessEvent.Failed.class::isInstance),
                        WAIT)
                .stream()
                .filter(KeyAccessEvent.Failed.class::isInstance)
                .map(KeyAccessEvent.Failed.class::cast)
                .toList();
    }
}
