package dev.byok.lockdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.byok.emulator.EmulatedVault;
import dev.byok.kms.KeyAccessFailure;
import dev.byok.kms.KeyVersionId;
import dev.byok.kms.KmsFutures;
import dev.byok.model.LockStatus;
import dev.byok.model.TenantLockState;
import dev.byok.model.TopicSpecs;
import dev.byok.testsupport.KeyVaultFault;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The lockdown engine on the real broker, probing real keys through the real SDK in the emulator. Short grace. */
class LockdownEngineIT {
    private static final Duration GRACE = Duration.ofSeconds(2);
    private static final Duration PROBE = Duration.ofMillis(500);
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final LockdownHarness h = LockdownHarness.get();
    private final List<LockdownEngine> engines = new ArrayList<>();

    @AfterEach
    void tearDown() {
        engines.forEach(LockdownEngine::close);
        h.admin.clearFaults(LockdownHarness.VAULT);
        h.admin.setPermissions(LockdownHarness.VAULT, EmulatedVault.DEFAULT_PERMISSIONS);
    }

    private LockdownEngine start(Duration grace, Duration backgroundProbe) {
        LockdownEngine engine = h.engine(grace, PROBE, backgroundProbe);
        engines.add(engine);
        return engine;
    }

    @ParameterizedTest
    @EnumSource(
            value = KeyVaultFault.class,
            names = {
                "KEY_DISABLED",
                "KEY_DELETED",
                "LIST_REVOKED",
                "WRAP_REVOKED",
                "UNWRAP_REVOKED",
                "FIREWALL_BLOCKED",
                "PORT_CLOSED",
                "KEY_EXPIRED"
            })
    void inaccessibleKey_degradesAtOnce_locksAfterGrace_andUnlocksWhenItIsBack(KeyVaultFault fault) {
        start(GRACE, Duration.ofHours(1));
        String tenant = LockdownHarness.newTenant();
        KeyVersionId key = h.createKey(tenant);
        h.enableByok(tenant, key);
        awaitStatus(tenant, LockStatus.HEALTHY);

        fault.inject(h.admin, LockdownHarness.VAULT, key);
        Instant failedAt = Instant.now();
        h.reportFailure(tenant, key, fault.failure());

        TenantLockState degraded = awaitStatus(tenant, LockStatus.DEGRADED);
        assertThat(degraded.failure()).contains(fault.failure());
        assertThat(degraded.lockDeadline().orElseThrow())
                .isBetween(
                        failedAt.plus(GRACE).minusSeconds(1),
                        failedAt.plus(GRACE).plusSeconds(5));
        TenantLockState locked = awaitStatus(tenant, LockStatus.LOCKED);
        assertThat(locked.since()).isEqualTo(degraded.lockDeadline().orElseThrow());

        fault.repair(h.admin, LockdownHarness.VAULT, key);
        Instant liftedAt = Instant.now();
        TenantLockState healthy = awaitStatusAfter(tenant, LockStatus.HEALTHY, locked);
        assertThat(healthy.since()).isBefore(liftedAt.plus(PROBE).plusSeconds(8));
        assertThat(transitions(tenant))
                .containsExactly(LockStatus.HEALTHY, LockStatus.DEGRADED, LockStatus.LOCKED, LockStatus.HEALTHY);
    }

    @Test
    void throttlingOnly_neverLocks() {
        start(GRACE, Duration.ofHours(1));
        String tenant = LockdownHarness.newTenant();
        KeyVersionId key = h.createKey(tenant);
        h.enableByok(tenant, key);
        awaitStatus(tenant, LockStatus.HEALTHY);

        for (int i = 0; i < 5; i++) {
            h.reportFailure(tenant, key, KeyAccessFailure.THROTTLED);
        }

        await().during(GRACE.multipliedBy(2))
                .atMost(GRACE.multipliedBy(3))
                .until(() -> transitions(tenant).equals(List.of(LockStatus.HEALTHY)));
    }

    @Test
    void revokedKey_isNoticedByTheBackgroundProbe_withoutAnyTraffic() {
        start(Duration.ofMinutes(10), Duration.ofSeconds(1));
        String tenant = LockdownHarness.newTenant();
        KeyVersionId key = h.createKey(tenant);
        h.enableByok(tenant, key);
        awaitStatus(tenant, LockStatus.HEALTHY);

        KeyVaultFault.KEY_DISABLED.inject(h.admin, LockdownHarness.VAULT, key);

        assertThat(awaitStatus(tenant, LockStatus.DEGRADED).failure()).contains(KeyAccessFailure.KEY_DISABLED);
    }

    @Test
    void disabledKeyThatStillWraps_asPublicReportsSayKeyVaultDoes_isNoticedByTheProbesUnwrap() {
        start(Duration.ofMinutes(10), Duration.ofSeconds(1));
        String tenant = LockdownHarness.newTenant();
        KeyVersionId key = h.createKey(tenant);
        h.enableByok(tenant, key);
        awaitStatus(tenant, LockStatus.HEALTHY);
        h.admin.setDisabledKeysWrap(LockdownHarness.VAULT, true);
        try {
            KeyVaultFault.KEY_DISABLED.inject(h.admin, LockdownHarness.VAULT, key);
            assertThat(KmsFutures.join(h.kms.wrap(key, new byte[32])))
                    .as("a wrap still works")
                    .isNotEmpty();

            assertThat(awaitStatus(tenant, LockStatus.DEGRADED).failure()).contains(KeyAccessFailure.KEY_DISABLED);
        } finally {
            h.admin.setDisabledKeysWrap(LockdownHarness.VAULT, false);
            KeyVaultFault.KEY_DISABLED.repair(h.admin, LockdownHarness.VAULT, key);
        }
    }

    @Test
    void restartWhileDegraded_locksAtTheOriginalDeadline_once() {
        Duration grace = Duration.ofSeconds(6);
        LockdownEngine first = start(grace, Duration.ofHours(1));
        String tenant = LockdownHarness.newTenant();
        KeyVersionId key = h.createKey(tenant);
        h.enableByok(tenant, key);
        awaitStatus(tenant, LockStatus.HEALTHY);
        KeyVaultFault.KEY_DISABLED.inject(h.admin, LockdownHarness.VAULT, key);
        h.reportFailure(tenant, key, KeyAccessFailure.KEY_DISABLED);
        Instant deadline =
                awaitStatus(tenant, LockStatus.DEGRADED).lockDeadline().orElseThrow();

        first.close();
        start(grace, Duration.ofHours(1));
        h.reportFailure(tenant, key, KeyAccessFailure.KEY_DISABLED); // more failures after the restart: no reset

        TenantLockState locked = awaitStatus(tenant, LockStatus.LOCKED);
        assertThat(locked.since()).isEqualTo(deadline);
        assertThat(transitions(tenant)).containsExactly(LockStatus.HEALTHY, LockStatus.DEGRADED, LockStatus.LOCKED);
        KeyVaultFault.KEY_DISABLED.repair(h.admin, LockdownHarness.VAULT, key);
    }

    @Test
    void twoReplicas_eachTenantIsOwnedByExactlyOne() {
        LockdownEngine a = start(Duration.ofMinutes(10), Duration.ofHours(1));
        LockdownEngine b = start(Duration.ofMinutes(10), Duration.ofHours(1));
        await().atMost(WAIT)
                .until(() -> a.ownedPartitions().size() + b.ownedPartitions().size() == TopicSpecs.DEFAULT_PARTITIONS
                        && !a.ownedPartitions().isEmpty()
                        && !b.ownedPartitions().isEmpty());
        Set<Integer> overlap = new HashSet<>(a.ownedPartitions());
        overlap.retainAll(b.ownedPartitions());
        assertThat(overlap).isEmpty();

        List<String> tenants = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String tenant = LockdownHarness.newTenant();
            KeyVersionId key = h.createKey(tenant);
            h.enableByok(tenant, key);
            KeyVaultFault.KEY_DISABLED.inject(
                    h.admin, LockdownHarness.VAULT, key); // really disabled: probes must not unlock it
            h.reportFailure(tenant, key, KeyAccessFailure.KEY_DISABLED);
            tenants.add(tenant);
        }

        for (String tenant : tenants) {
            awaitStatus(tenant, LockStatus.DEGRADED);
        }
        await().atMost(WAIT)
                .until(() -> a.ownedTenants().size() + b.ownedTenants().size() >= tenants.size());
        Set<String> ownedByBoth = new HashSet<>(a.ownedTenants());
        ownedByBoth.retainAll(b.ownedTenants());
        assertThat(ownedByBoth).isEmpty();
        Set<String> ownedByEither = new HashSet<>(a.ownedTenants());
        ownedByEither.addAll(b.ownedTenants());
        assertThat(ownedByEither).containsAll(tenants);
        for (String tenant : tenants) {
            assertThat(h.published(tenant).stream()
                            .filter(s -> s.status() == LockStatus.DEGRADED)
                            .map(TenantLockState::since)
                            .distinct())
                    .as("one DEGRADED transition of %s", tenant)
                    .hasSize(1);
        }
    }

    private TenantLockState awaitStatus(String tenant, LockStatus status) {
        await().atMost(WAIT).until(() -> h.published(tenant).stream().anyMatch(s -> s.status() == status));
        return h.published(tenant).stream()
                .filter(s -> s.status() == status)
                .findFirst()
                .orElseThrow();
    }

    private TenantLockState awaitStatusAfter(String tenant, LockStatus status, TenantLockState after) {
        await().atMost(WAIT).until(() -> indexOfAfter(tenant, status, after) >= 0);
        return h.published(tenant).get(indexOfAfter(tenant, status, after));
    }

    private int indexOfAfter(String tenant, LockStatus status, TenantLockState after) {
        List<TenantLockState> all = h.published(tenant);
        for (int i = all.indexOf(after) + 1; i < all.size(); i++) {
            if (all.get(i).status() == status) {
                return i;
            }
        }
        return -1;
    }

    /** The distinct statuses in publication order (probe updates of the same status collapse). */
    private List<LockStatus> transitions(String tenant) {
        List<LockStatus> out = new ArrayList<>();
        for (TenantLockState s : h.published(tenant)) {
            if (out.isEmpty() || out.get(out.size() - 1) != s.status()) {
                out.add(s.status());
            }
        }
        return out;
    }
}
