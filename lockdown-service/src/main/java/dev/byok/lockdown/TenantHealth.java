package dev.byok.lockdown;

import dev.byok.kms.KeyAccessFailure;
import dev.byok.kms.KeyRef;
import dev.byok.kms.KeyVersionId;
import dev.byok.model.KeyConfigEvent;
import dev.byok.model.LockStatus;
import dev.byok.model.TenantLockState;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One tenant's key-health state machine (pure: time is passed in). HEALTHY → DEGRADED on the first
 * grace-starting failure (deadline = failure time + grace) → LOCKED when the deadline passes →
 * HEALTHY on a verified wrap + unwrap round trip. Throttling never degrades; only BYOK tenants
 * degrade; disabling BYOK clears the state. Each method returns the new state when it must be
 * published, empty when nothing changed.
 */
final class TenantHealth {
    private final String tenantId;
    private final Duration grace;
    private long configRevision = -1;
    private boolean byokEnabled;
    private KeyRef key;
    private TenantLockState state;

    TenantHealth(String tenantId, Duration grace) {
        this.tenantId = tenantId;
        this.grace = grace;
    }

    boolean byokEnabled() {
        return byokEnabled;
    }

    Optional<KeyRef> key() {
        return Optional.ofNullable(key);
    }

    LockStatus status() {
        return state == null ? LockStatus.HEALTHY : state.status();
    }

    Optional<TenantLockState> state() {
        return Optional.ofNullable(state);
    }

    /** Takes back the state a previous owner published (deadline included). */
    void restore(TenantLockState published) {
        state = published;
    }

    Optional<TenantLockState> onConfig(KeyConfigEvent event, Instant now) {
        if (event.revision() <= configRevision) {
            return Optional.empty(); // replayed or stale
        }
        configRevision = event.revision();
        if (event instanceof KeyConfigEvent.KeyEnabled enabled) {
            return enable(enabled.keyVersionId(), now);
        }
        if (event instanceof KeyConfigEvent.KeyVersionRolled rolled) {
            return enable(rolled.toKeyVersionId(), now);
        }
        byokEnabled = false;
        key = null;
        return publish(TenantLockState.healthy(tenantId, now, "BYOK disabled: data stays encrypted with managed keys"));
    }

    private Optional<TenantLockState> enable(String keyVersionId, Instant now) {
        boolean wasEnabled = byokEnabled;
        byokEnabled = true;
        key = KeyVersionId.parse(keyVersionId).key();
        if (state == null || !wasEnabled && state.status() == LockStatus.HEALTHY) {
            return publish(TenantLockState.healthy(tenantId, now, "customer key in use"));
        }
        return Optional.empty();
    }

    Optional<TenantLockState> onFailure(KeyAccessFailure failure, Instant at) {
        if (!byokEnabled || !failure.startsGrace()) {
            return Optional.empty(); // managed-only tenants cannot degrade; throttling only backs off
        }
        if (status() != LockStatus.HEALTHY || state != null && at.isBefore(state.since())) {
            return Optional.empty(); // already counting down (deadline kept), or older than the last recovery
        }
        return publish(new TenantLockState(tenantId, LockStatus.DEGRADED, Optional.of(failure), reason(failure), at,
                Optional.of(at.plus(grace)), lastProbe()));
    }

    Optional<TenantLockState> onVerified(Instant at) {
        if (status() == LockStatus.HEALTHY || at.isBefore(state.since())) {
            return Optional.empty();
        }
        return publish(new TenantLockState(tenantId, LockStatus.HEALTHY, Optional.empty(),
                "the key works again: verified by a wrap and unwrap round trip", at, Optional.empty(), lastProbe()));
    }

    Optional<TenantLockState> onTick(Instant now) {
        if (status() != LockStatus.DEGRADED || now.isBefore(state.lockDeadline().orElseThrow())) {
            return Optional.empty();
        }
        Instant deadline = state.lockDeadline().get();
        return publish(new TenantLockState(tenantId, LockStatus.LOCKED, state.failure(), state.reason(), deadline,
                Optional.empty(), lastProbe()));
    }

    /** Records a probe; the state is republished only while the tenant is DEGRADED or LOCKED. */
    Optional<TenantLockState> onProbed(Instant at) {
        if (status() == LockStatus.HEALTHY) {
            return Optional.empty();
        }
        return publish(new TenantLockState(tenantId, state.status(), state.failure(), state.reason(), state.since(),
                state.lockDeadline(), Optional.of(at)));
    }

    private Optional<Instant> lastProbe() {
        return state == null ? Optional.empty() : state.lastProbe();
    }

    private Optional<TenantLockState> publish(TenantLockState next) {
        state = next;
        return Optional.of(next);
    }

    static String reason(KeyAccessFailure failure) {
        return failure.description() + ". " + failure.remedy();
    }
}
