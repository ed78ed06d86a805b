package dev.byok.lockdown;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byok.kms.KeyAccessFailure;
import dev.byok.model.KeyConfigEvent;
import dev.byok.model.LockStatus;
import dev.byok.model.TenantLockState;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TenantHealthTest {
    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    private static final Duration GRACE = Duration.ofHours(1);
    private static final String KID = "https://contoso.vault.azure.net/keys/byok/0123456789abcdef0123456789abcdef";
    private final TenantHealth health = new TenantHealth("contoso", GRACE);

    private void enable() {
        health.onConfig(
                new KeyConfigEvent.KeyEnabled("contoso", 1, T0, "https://contoso.vault.azure.net/keys/byok", KID), T0);
    }

    @Test
    void enabling_publishesHealthy_withTheKey() {
        Optional<TenantLockState> state =
                health.onConfig(new KeyConfigEvent.KeyEnabled("contoso", 1, T0, "uri", KID), T0);

        assertThat(state).map(TenantLockState::status).contains(LockStatus.HEALTHY);
        assertThat(health.key()).map(Object::toString).contains("https://contoso.vault.azure.net/keys/byok");
    }

    @Test
    void firstFailure_degrades_withDeadlineAtFailurePlusGrace() {
        enable();

        TenantLockState degraded = health.onFailure(KeyAccessFailure.KEY_DISABLED, T0.plusSeconds(10))
                .orElseThrow();

        assertThat(degraded.status()).isEqualTo(LockStatus.DEGRADED);
        assertThat(degraded.lockDeadline()).contains(T0.plusSeconds(10).plus(GRACE));
        assertThat(degraded.failure()).contains(KeyAccessFailure.KEY_DISABLED);
        assertThat(degraded.reason()).contains("disabled").contains("Enable the key and its latest version");
    }

    @Test
    void laterFailures_keepTheOriginalDeadline() {
        enable();
        health.onFailure(KeyAccessFailure.KEY_DISABLED, T0);

        assertThat(health.onFailure(KeyAccessFailure.PERMISSION_DENIED, T0.plusSeconds(600)))
                .isEmpty();
        assertThat(health.state().orElseThrow().lockDeadline()).contains(T0.plus(GRACE));
    }

    @Test
    void deadlinePassing_locks_atTheDeadline() {
        enable();
        health.onFailure(KeyAccessFailure.KEY_NOT_FOUND, T0);

        assertThat(health.onTick(T0.plus(GRACE).minusMillis(1))).isEmpty();
        TenantLockState locked = health.onTick(T0.plus(GRACE).plusSeconds(5)).orElseThrow();

        assertThat(locked.status()).isEqualTo(LockStatus.LOCKED);
        assertThat(locked.since()).isEqualTo(T0.plus(GRACE));
        assertThat(health.onTick(T0.plus(GRACE).plusSeconds(10)))
                .as("locks once")
                .isEmpty();
    }

    @Test
    void verifiedSuccess_unlocks() {
        enable();
        health.onFailure(KeyAccessFailure.KEY_DISABLED, T0);
        health.onTick(T0.plus(GRACE));

        TenantLockState healthy =
                health.onVerified(T0.plus(GRACE).plusSeconds(30)).orElseThrow();

        assertThat(healthy.status()).isEqualTo(LockStatus.HEALTHY);
        assertThat(healthy.failure()).isEmpty();
    }

    @Test
    void verifiedSuccess_whileDegraded_cancelsTheLock() {
        enable();
        health.onFailure(KeyAccessFailure.FIREWALL_BLOCKED, T0);
        health.onVerified(T0.plusSeconds(60));

        assertThat(health.onTick(T0.plus(GRACE).plusSeconds(1))).isEmpty();
        assertThat(health.status()).isEqualTo(LockStatus.HEALTHY);
    }

    @Test
    void throttlingAlone_neverDegrades() {
        enable();

        assertThat(health.onFailure(KeyAccessFailure.THROTTLED, T0)).isEmpty();
        assertThat(health.onTick(T0.plus(GRACE).plus(GRACE))).isEmpty();
        assertThat(health.status()).isEqualTo(LockStatus.HEALTHY);
    }

    @Test
    void managedOnlyTenant_neverDegrades() {
        assertThat(health.onFailure(KeyAccessFailure.KEY_DISABLED, T0)).isEmpty();
    }

    @Test
    void disablingByok_clearsALockedState() {
        enable();
        health.onFailure(KeyAccessFailure.KEY_DISABLED, T0);
        health.onTick(T0.plus(GRACE));

        TenantLockState cleared = health.onConfig(
                        new KeyConfigEvent.KeyDisabled("contoso", 2, T0.plus(GRACE), "uri"), T0.plus(GRACE))
                .orElseThrow();

        assertThat(cleared.status()).isEqualTo(LockStatus.HEALTHY);
        assertThat(cleared.reason()).contains("BYOK disabled");
        assertThat(health.onFailure(
                        KeyAccessFailure.KEY_DISABLED, T0.plus(GRACE).plusSeconds(1)))
                .isEmpty();
    }

    @Test
    void staleFailure_olderThanTheLastRecovery_isIgnored() {
        enable();
        health.onFailure(KeyAccessFailure.KEY_DISABLED, T0);
        health.onVerified(T0.plusSeconds(100));

        assertThat(health.onFailure(KeyAccessFailure.KEY_DISABLED, T0.plusSeconds(50)))
                .isEmpty();
    }

    @Test
    void replayedConfig_isIgnoredByRevision() {
        enable();

        assertThat(health.onConfig(new KeyConfigEvent.KeyEnabled("contoso", 1, T0, "uri", KID), T0.plusSeconds(5)))
                .isEmpty();
    }

    @Test
    void restoredDegradedState_locksAtItsOriginalDeadline() {
        enable();
        TenantLockState degraded =
                health.onFailure(KeyAccessFailure.KEY_DISABLED, T0).orElseThrow();
        TenantHealth newOwner = new TenantHealth("contoso", GRACE);
        newOwner.restore(degraded);
        newOwner.onConfig(new KeyConfigEvent.KeyEnabled("contoso", 1, T0, "uri", KID), T0.plusSeconds(1800));

        assertThat(newOwner.onFailure(KeyAccessFailure.KEY_DISABLED, T0.plusSeconds(1800)))
                .as("no reset")
                .isEmpty();
        assertThat(newOwner.onTick(T0.plus(GRACE)).orElseThrow().since()).isEqualTo(T0.plus(GRACE));
    }

    @Test
    void probeWhileLocked_recordsLastProbe() {
        enable();
        health.onFailure(KeyAccessFailure.KEY_DISABLED, T0);

        assertThat(health.onProbed(T0.plusSeconds(30)).orElseThrow().lastProbe())
                .contains(T0.plusSeconds(30));
    }

    @Test
    void failureSeenBeforeTheEnabledEvent_degradesOnceTheEnableArrives() {
        assertThat(health.onFailure(KeyAccessFailure.KEY_DISABLED, T0.plusSeconds(5)))
                .isEmpty();

        TenantLockState state = health.onConfig(
                        new KeyConfigEvent.KeyEnabled("contoso", 1, T0, "uri", KID), T0.plusSeconds(6))
                .orElseThrow();

        assertThat(state.status()).isEqualTo(LockStatus.DEGRADED);
        assertThat(state.lockDeadline()).contains(T0.plusSeconds(6).plus(GRACE));
    }

    @Test
    void failureOfAKnownManagedOnlyTenant_isNotKeptForLater() {
        health.onConfig(new KeyConfigEvent.KeyDisabled("contoso", 1, T0, "uri"), T0);
        health.onFailure(KeyAccessFailure.KEY_DISABLED, T0.plusSeconds(1));

        assertThat(health.onConfig(new KeyConfigEvent.KeyEnabled("contoso", 2, T0, "uri", KID), T0.plusSeconds(2)))
                .map(TenantLockState::status)
                .contains(LockStatus.HEALTHY);
    }

    @Test
    void failureReportedJustAfterEnabling_degradesEvenIfTheEnableWasProcessedLater() {
        health.onConfig(new KeyConfigEvent.KeyEnabled("contoso", 1, T0, "uri", KID), T0.plusSeconds(10));

        assertThat(health.onFailure(KeyAccessFailure.KEY_DISABLED, T0.plusSeconds(1)))
                .map(TenantLockState::status)
                .contains(LockStatus.DEGRADED);
    }
}
