package dev.byok.sweeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.byok.crypto.WrappedDek;
import dev.byok.emulator.EmulatorAdminClient;
import dev.byok.kms.KeyAccessFailure;
import dev.byok.kms.KeyUsagePurpose;
import dev.byok.kms.KeyVersionId;
import dev.byok.kms.Kms;
import dev.byok.model.KeyConfigEvent;
import dev.byok.model.ProtectionStatus;
import dev.byok.model.TenantLockState;
import dev.byok.model.Topics;
import dev.byok.service.KmsStack;
import dev.byok.store.DekRepository.StoredDek;
import dev.byok.store.TenantEligibility;
import dev.byok.testsupport.KafkaTestResource;
import dev.byok.testsupport.KeyVaultEmulatorEndpoint;
import dev.byok.testsupport.KeyVaultEmulatorTestResource;
import dev.byok.testsupport.PostgresTestResource;
import dev.byok.testsupport.TopicClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Protect, roll and disable on the real PostgreSQL, broker and Key Vault emulator. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KeyVaultEmulatorTestResource.class)
class ConvergeIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String VAULT = KeyVaultEmulatorEndpoint.VAULT;
    private final EmulatorAdminClient admin =
            new EmulatorAdminClient(KeyVaultEmulatorEndpoint.emulator().adminUri());
    private final String tenant = "sw-" + UUID.randomUUID().toString().substring(0, 8);

    @Inject
    Pool pool;

    @Inject
    TenantDatas tenants;

    @Inject
    TenantEligibility eligibility;

    @Inject
    KmsStack kmsStack;

    @Inject
    Sweeper sweeper;

    private TenantData data;
    private Kms kms;

    @BeforeEach
    void setUp() {
        data = tenants.of(tenant);
        kms = kmsStack.forTenant(tenant, Optional.empty(), KeyUsagePurpose.DEK_LOAD);
    }

    @Test
    void dataWrittenBeforeEnable_movesToDeksBornUnderTheCustomerKey_andTheOldOnesAreDestroyed() {
        Instant threeDaysAgo = Instant.now().minus(3, ChronoUnit.DAYS);
        UUID first = data.write(threeDaysAgo, 5, Optional.empty(), null, false);
        UUID second = data.write(threeDaysAgo.plus(1, ChronoUnit.DAYS), 5, Optional.empty(), null, false);
        Map<String, String> before = data.readAll(null);
        KeyVersionId key = data.enableByok();

        ProtectionStatus status = data.statusUntil(ProtectionStatus::complete);

        assertThat(data.deks())
                .hasSize(2)
                .allSatisfy(d -> assertThat(d.customerKeyId()).contains(key.toString()))
                .extracting(StoredDek::id)
                .doesNotContain(first, second);
        assertThat(data.readAll(kms))
                .as("contents unchanged, now through the customer key")
                .isEqualTo(before);
        assertThat(status.targetKeyVersionId()).contains(key.toString());
        assertThat(status.deks()).isEqualTo(2);
        assertThat(status.bornProtected()).isEqualTo(new ProtectionStatus.DekCount(2, 10));
        assertThat(status.temporary()).isEqualTo(ProtectionStatus.DekCount.NONE);
        assertThat(status.oldestUnprotectedAt()).isEmpty();
        assertThat(status.oldestTemporaryAt()).isEmpty();
        // the metrics carry no tenant label (unbounded): the ages are the oldest over every tenant of this JVM
        assertThat(RestAssured.get("/q/metrics").asString())
                .doesNotContain("tenant=\"" + tenant + "\"")
                .contains("byok_sweeper_oldest_unprotected_seconds ")
                .contains("byok_sweeper_oldest_temporary_seconds ");
    }

    @Test
    void temporaryDekOfAnOutage_isReportedPerState_thenMovedOnceTheKeyIsBack() {
        KeyVersionId key = data.enableByok();
        admin.updateVersion(
                VAULT, key.key().name(), key.version(), Map.of("enabled", false)); // the outage that made it temporary
        Instant threeDaysAgo = Instant.now().minus(3, ChronoUnit.DAYS);
        UUID temporary = data.write(threeDaysAgo, 3, Optional.empty(), null, true);

        ProtectionStatus during = data.statusUntil(s -> s.temporary().deks() == 1);
        assertThat(during.temporary()).isEqualTo(new ProtectionStatus.DekCount(1, 3));
        assertThat(during.oldestTemporaryAt()).contains(threeDaysAgo.truncatedTo(ChronoUnit.MICROS));
        assertThat(during.protectionOverdue())
                .as("older than protect-within (48 h)")
                .isTrue();
        await().atMost(WAIT)
                .untilAsserted(
                        () -> assertThat(metric("byok_sweeper_oldest_temporary_seconds")) // the oldest of all tenants'
                                .isGreaterThan(Duration.ofHours(71).toSeconds()));
        admin.updateVersion(VAULT, key.key().name(), key.version(), Map.of("enabled", true));

        ProtectionStatus after = data.statusUntil(ProtectionStatus::complete);
        assertThat(data.deks())
                .singleElement()
                .satisfies(d -> assertThat(d.id()).isNotEqualTo(temporary))
                .satisfies(d -> assertThat(d.customerKeyId()).contains(key.toString()))
                .satisfies(d -> assertThat(d.pending()).isFalse());
        assertThat(data.readAll(kms)).hasSize(3);
        assertThat(after.protectionOverdue()).isFalse();
        assertThat(after.bornProtected()).isEqualTo(new ProtectionStatus.DekCount(1, 3));
        assertThat(after.oldestTemporaryAt()).isEmpty();
    }

    private static double metric(String series) {
        return RestAssured.get("/q/metrics")
                .asString()
                .lines()
                .filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElse(-1);
    }

    @Test
    void newKeyVersion_rewrapsEveryDek_publishesTheOldVersionRetired_andDisablingItBreaksNothing() {
        KeyVersionId first = data.enableByok();
        for (int i = 0; i < 3; i++) {
            data.write(
                    Instant.now().minus(i + 1, ChronoUnit.HOURS),
                    4,
                    Optional.of(first),
                    kmsStack.forTenant(tenant, Optional.empty(), KeyUsagePurpose.NEW_DEK),
                    false);
        }
        Map<String, String> before = data.readAll(kms);
        KeyVersionId second = KeyVersionId.parse(admin.rotate(VAULT, tenant));
        TopicClient.publish(
                Topics.TENANT_KEY_CONFIG,
                tenant,
                new KeyConfigEvent.KeyVersionRolled(
                        tenant, 2, Instant.now(), first.key().toString(), first.toString(), second.toString()));

        ProtectionStatus status = data.statusUntil(s -> s.retiredKeyVersionId().isPresent());
        assertThat(status.retiredKeyVersionId()).contains(first.toString());
        assertThat(status.olderVersionsInUse()).isEmpty();
        assertThat(data.deks()).allSatisfy(d -> assertThat(d.customerKeyId()).contains(second.toString()));

        admin.updateVersion(VAULT, first.key().name(), first.version(), Map.of("enabled", false));
        assertThat(data.readAll(kms)).as("nothing needs the retired version").isEqualTo(before);
    }

    @Test
    void disable_removesTheCustomerLayer_recordsStayReadable_andTheCustomerKeyIsNoLongerCalled() {
        KeyVersionId key = data.enableByok();
        data.write(
                Instant.now().minus(2, ChronoUnit.HOURS),
                4,
                Optional.of(key),
                kmsStack.forTenant(tenant, Optional.empty(), KeyUsagePurpose.NEW_DEK),
                false);
        data.write(Instant.now().minus(1, ChronoUnit.HOURS), 4, Optional.empty(), null, true); // temporary: moved
        data.statusUntil(ProtectionStatus::complete);
        Map<String, String> before = data.readAll(kms);

        TopicClient.publish(
                Topics.TENANT_KEY_CONFIG,
                tenant,
                new KeyConfigEvent.KeyDisabled(
                        tenant, 2, Instant.now(), key.key().toString()));

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(data.deks())
                        .allSatisfy(d -> assertThat(d.wrapped()).isInstanceOf(WrappedDek.ManagedOnly.class))
                        .allSatisfy(d -> assertThat(d.pending()).isFalse()));
        assertThat(data.statusUntil(s -> s.targetKeyVersionId().isEmpty() && s.complete())
                        .deks())
                .isEqualTo(2);
        assertThat(data.readAll(null))
                .as("readable with the managed keyring alone")
                .isEqualTo(before);

        admin.resetCounters(VAULT);
        long sweeps = sweeper.completedSweeps();
        await().atMost(WAIT).until(() -> sweeper.completedSweeps() >= sweeps + 3);
        assertThat(admin.counters(VAULT))
                .as("no Key Vault call after the layer is gone")
                .doesNotContainKeys("wrapkey", "unwrapkey");
    }

    @Test
    void lockedTenant_isLeftAlone_untilItIsUnlocked() {
        TopicClient.publish(
                Topics.TENANT_LOCK_STATE,
                tenant,
                TenantLockState.locked(tenant, KeyAccessFailure.KEY_DISABLED, "the key is disabled", Instant.now()));
        await().atMost(WAIT).until(() -> eligibility.locked(tenant));
        data.write(Instant.now().minus(1, ChronoUnit.DAYS), 2, Optional.empty(), null, true);
        KeyVersionId key = data.enableByok();
        admin.resetCounters(VAULT);
        long sweeps = sweeper.completedSweeps();
        await().atMost(WAIT).until(() -> sweeper.completedSweeps() >= sweeps + 3);
        assertThat(data.deks()).allSatisfy(d -> assertThat(d.pending()).isTrue());
        assertThat(admin.counters(VAULT)).doesNotContainKey("wrapkey");

        TopicClient.publish(
                Topics.TENANT_LOCK_STATE, tenant, TenantLockState.healthy(tenant, Instant.now(), "key verified"));

        await().atMost(WAIT)
                .until(() ->
                        data.deks().stream().allMatch(d -> d.customerKeyId().equals(Optional.of(key.toString()))));
    }

    @Test
    void unparseableDekAndUnreadableKeyConfig_areSetAsideAndReported_everythingElseStillConverges() {
        KeyVersionId key = data.enableByok();
        UUID bad = data.write(
                Instant.now().minus(30, ChronoUnit.DAYS),
                1,
                Optional.empty(),
                null,
                false); // the oldest: claimed first
        pool.preparedQuery("UPDATE dek SET wrapped = '\\x01'::bytea WHERE id = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(bad))
                .await()
                .atMost(WAIT);
        data.write(Instant.now().minus(1, ChronoUnit.DAYS), 2, Optional.empty(), null, false);
        String broken = "sw-broken-" + UUID.randomUUID().toString().substring(0, 8);
        TenantData brokenData = tenants.of(broken);
        brokenData.write(Instant.now().minus(1, ChronoUnit.DAYS), 2, Optional.empty(), null, true);
        TopicClient.publish(
                Topics.TENANT_KEY_CONFIG,
                broken,
                new KeyConfigEvent.KeyEnabled(
                        broken, 1, Instant.now(), "https://v.vault.azure.net/keys/k", "not-a-key-version-id"));

        await().atMost(WAIT).until(() -> data.deksUnder(key) == 1);
        ProtectionStatus status = data.statusUntil(s -> s.quarantinedDeks() == 1);
        assertThat(status.deks()).isEqualTo(2);
        assertThat(status.deksOnTarget()).isEqualTo(1);
        List<ProtectionStatus> brokenStatus = TopicClient.readUntil(
                Topics.TENANT_PROTECTION,
                broken,
                ProtectionStatus.class,
                found -> !found.isEmpty()
                        && found.get(found.size() - 1).unreadableConfig().isPresent(),
                WAIT);
        assertThat(brokenStatus.get(brokenStatus.size() - 1).unreadableConfig())
                .hasValueSatisfying(why -> assertThat(why).contains("revision 1"));
        long sweeps = sweeper.completedSweeps();
        await().atMost(WAIT).until(() -> sweeper.completedSweeps() >= sweeps + 2);
        assertThat(brokenData.deks()).as("neither protected nor stripped").allSatisfy(d -> {
            assertThat(d.pending()).isTrue();
            assertThat(d.wrapped()).isInstanceOf(WrappedDek.ManagedOnly.class);
        });
        assertThat(RestAssured.get("/q/metrics").asString())
                .contains("byok_sweeper_quarantined_deks 1.0")
                .contains("byok_sweeper_unreadable_key_configs")
                .contains("byok_sweeper_deks_total{job=\"claim\",outcome=\"quarantined\"} 1.0");
    }
}
