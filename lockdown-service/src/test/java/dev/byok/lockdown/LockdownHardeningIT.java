package dev.byok.lockdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.byok.kms.KeyAccessFailure;
import dev.byok.kms.KeyVersionId;
import dev.byok.model.LockStatus;
import dev.byok.model.TenantLockState;
import dev.byok.model.TopicSpecs;
import dev.byok.model.Topics;
import dev.byok.testsupport.ForgedEvents;
import dev.byok.testsupport.KeyVaultFault;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Lockdown that cannot be talked into unlocking, frozen or stopped: producer-dated events far off
 * the broker's time, malformed records, lock states it did not write, and successes reported by
 * another principal. Real broker, real keys in the emulator, short grace.
 */
class LockdownHardeningIT {
    private static final Duration GRACE = Duration.ofSeconds(3);
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final LockdownHarness h = LockdownHarness.get();
    private final CountingMetrics metrics = new CountingMetrics();
    private final List<LockdownEngine> engines = new ArrayList<>();

    @AfterEach
    void tearDown() {
        engines.forEach(LockdownEngine::close);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "+1000000000-12-31T23:59:59.999999999Z",
                "3000-01-01T00:00:00Z",
                "1970-01-01T00:00:00Z",
                "2026-01-01T00:00:00Z"
            })
    void failureDatedFarFromTheBrokersTime_countsFromTheBrokersTime_andTheEngineLivesOn(String claimed) {
        LockdownEngine engine = start();
        String tenant = LockdownHarness.newTenant();
        KeyVersionId key = healthyByokTenantWithItsKeyDisabled(tenant);

        Instant sent = Instant.now();
        h.reportFailure(tenant, key, KeyAccessFailure.KEY_DISABLED, Instant.parse(claimed));

        TenantLockState degraded = awaitAny(tenant, LockStatus.DEGRADED);
        assertThat(degraded.since()).isBetween(sent.minusSeconds(2), sent.plusSeconds(5));
        assertThat(degraded.lockDeadline())
                .hasValueSatisfying(
                        d -> assertThat(d).isEqualTo(degraded.since().plus(GRACE)));
        assertThat(awaitAny(tenant, LockStatus.LOCKED).since())
                .isEqualTo(degraded.lockDeadline().orElseThrow());
        assertThat(metrics.count(LockdownMetrics.Anomaly.EVENT_TIME_CLAMPED)).isEqualTo(1);
        assertThat(engine.running()).isTrue();
        KeyVaultFault.KEY_DISABLED.repair(h.admin, LockdownHarness.VAULT, key);
    }

    @Test
    void malformedRecords_areSkippedAndCounted_andTheTenantIsStillJudgedRight() {
        LockdownEngine engine = start();
        String tenant = LockdownHarness.newTenant();
        KeyVersionId key = healthyByokTenantWithItsKeyDisabled(tenant);

        h.send(Topics.KEY_ACCESS, tenant, "{not json".getBytes());
        h.send(Topics.KEY_ACCESS, tenant, "{\"type\":\"FAILED\",\"tenantId\":\"x\"}".getBytes());
        h.send(Topics.TENANT_KEY_CONFIG, tenant, new byte[] {0, 1, 2});
        h.reportFailure(tenant, key, KeyAccessFailure.KEY_DISABLED);

        awaitAny(tenant, LockStatus.DEGRADED);
        assertThat(metrics.count(LockdownMetrics.Anomaly.RECORD_SKIPPED)).isEqualTo(3);
        assertThat(engine.running()).isTrue();
        KeyVaultFault.KEY_DISABLED.repair(h.admin, LockdownHarness.VAULT, key);
    }

    @Test
    void foreignLockStateAndTombstone_ofALockedTenant_areOverwrittenWithTheEnginesState() {
        start(Duration.ofHours(1)); // no probe republishes the LOCKED state: only the overwrite can
        String tenant = LockdownHarness.newTenant();
        KeyVersionId key = healthyByokTenantWithItsKeyDisabled(tenant);
        h.reportFailure(tenant, key, KeyAccessFailure.KEY_DISABLED);
        TenantLockState locked = awaitLast(tenant, LockStatus.LOCKED);

        h.send(Topics.TENANT_LOCK_STATE, tenant, TenantLockState.healthy(tenant, Instant.now(), "forged"));
        await().atMost(WAIT)
                .until(() ->
                        last(tenant).equals(locked) && metrics.count(LockdownMetrics.Anomaly.FOREIGN_LOCK_STATE) == 1);
        h.send(Topics.TENANT_LOCK_STATE, tenant, null);
        await().atMost(WAIT)
                .until(() ->
                        last(tenant).equals(locked) && metrics.count(LockdownMetrics.Anomaly.FOREIGN_LOCK_STATE) == 2);
        KeyVaultFault.KEY_DISABLED.repair(h.admin, LockdownHarness.VAULT, key);
    }

    @Test
    void forgedLockOfATenantWithoutCustomerKey_isUndone_whetherWrittenBeforeOrWhileTheEngineRuns() {
        String before = LockdownHarness.newTenant();
        h.send(Topics.TENANT_LOCK_STATE, before, forgedLock(before));
        LockdownEngine engine = start();
        await().atMost(WAIT).until(() -> engine.ownedPartitions().size() == TopicSpecs.DEFAULT_PARTITIONS);
        String during = LockdownHarness.newTenant();

        h.send(Topics.TENANT_LOCK_STATE, during, forgedLock(during));

        TenantLockState undone = awaitLast(before, LockStatus.HEALTHY); // restored, then reconciled with key-config
        assertThat(undone.reason()).isEqualTo("no customer key is configured");
        await().atMost(WAIT).until(() -> h.records(during).size() == 2 && last(during) == LockdownHarness.TOMBSTONE);
        assertThat(metrics.count(LockdownMetrics.Anomaly.FOREIGN_LOCK_STATE)).isEqualTo(1);
    }

    private static TenantLockState forgedLock(String tenant) {
        return TenantLockState.locked(tenant, KeyAccessFailure.KEY_DISABLED, "forged", Instant.now());
    }

    @Test
    void verifiedSuccessReportedByAnotherPrincipal_neverUnlocks() {
        start();
        String tenant = LockdownHarness.newTenant();
        KeyVersionId key = healthyByokTenantWithItsKeyDisabled(tenant);
        h.reportFailure(tenant, key, KeyAccessFailure.KEY_DISABLED);
        awaitLast(tenant, LockStatus.LOCKED);

        h.send(Topics.KEY_ACCESS, tenant, ForgedEvents.verifiedSuccess(tenant, key.toString()));

        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(5))
                .until(() -> last(tenant).status() == LockStatus.LOCKED);
        KeyVaultFault.KEY_DISABLED.repair(h.admin, LockdownHarness.VAULT, key);
        awaitLast(tenant, LockStatus.HEALTHY); // its own probe, once the key works again
    }

    /** A BYOK tenant, HEALTHY, whose key is then disabled in the vault (nothing reported yet); returns the key. */
    private KeyVersionId healthyByokTenantWithItsKeyDisabled(String tenant) {
        KeyVersionId key = h.createKey(tenant);
        h.enableByok(tenant, key);
        awaitLast(tenant, LockStatus.HEALTHY);
        KeyVaultFault.KEY_DISABLED.inject(h.admin, LockdownHarness.VAULT, key);
        return key;
    }

    private LockdownEngine start() {
        return start(Duration.ofMillis(500));
    }

    private LockdownEngine start(Duration degradedProbe) {
        LockdownEngine engine = h.engine(GRACE, degradedProbe, Duration.ofHours(1), metrics);
        engines.add(engine);
        await().atMost(WAIT).until(engine::running);
        return engine;
    }

    private TenantLockState last(String tenant) {
        List<TenantLockState> all = h.records(tenant);
        return all.isEmpty() ? LockdownHarness.TOMBSTONE : all.get(all.size() - 1);
    }

    /** The first record of the tenant with this status (a later one may already have followed it). */
    private TenantLockState awaitAny(String tenant, LockStatus status) {
        await().atMost(WAIT)
                .until(() -> h.records(tenant).stream()
                        .anyMatch(s -> s.status() == status && s != LockdownHarness.TOMBSTONE));
        return h.records(tenant).stream()
                .filter(s -> s.status() == status && s != LockdownHarness.TOMBSTONE)
                .findFirst()
                .orElseThrow();
    }

    private TenantLockState awaitLast(String tenant, LockStatus status) {
        await().atMost(WAIT)
                .until(() -> last(tenant) != LockdownHarness.TOMBSTONE
                        && last(tenant).status() == status);
        return last(tenant);
    }

    /** Counts the engine's anomalies; the other metrics are not under test here. */
    private static final class CountingMetrics implements LockdownMetrics {
        private final Map<Anomaly, AtomicInteger> anomalies = new EnumMap<>(Anomaly.class);

        CountingMetrics() {
            for (Anomaly a : Anomaly.values()) {
                anomalies.put(a, new AtomicInteger());
            }
        }

        int count(Anomaly anomaly) {
            return anomalies.get(anomaly).get();
        }

        @Override
        public void anomaly(Anomaly anomaly) {
            anomalies.get(anomaly).incrementAndGet();
        }
    }
}
