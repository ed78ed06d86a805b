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
    /** The key's Entra directory, as the latest configuration names it. */
    private Optional<String> directory = Optional.empty();

    private TenantLockState state;
    /** A failure reported before this replica saw the tenant's "enabled" event (different topics race). */
    private KeyAccessFailure earlyFailure;

    private Instant earlyFailureAt;
    /** When the key was last verified after an incident: failures from before then are stale. */
    private Instant recoveredAt = Instant.MIN;

    TenantHealth(String tenantId, Duration grace) {
        this.tenantId = tenantId;
        this.grace = grace;
    }

    String tenantId() {
        return tenantId;
    }

    boolean byokEnabled() {
        return byokEnabled;
    }

    Optional<KeyRef> key() {
        return Optional.ofNullable(key);
    }

    Optional<String> directory() {
        return directory;
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

    /**
     * After a restore: only a BYOK tenant can be DEGRADED or LOCKED, so such a state for a tenant
     * without a customer key (a record this engine never wrote) is replaced by HEALTHY.
     */
    Optional<TenantLockState> reconcile(Instant now) {
        if (status() == LockStatus.HEALTHY || byokEnabled) {
            return Optional.empty();
        }
        return publish(TenantLockState.healthy(tenantId, now, "no customer key is configured"));
    }

    Optional<TenantLockState> onConfig(KeyConfigEvent event, Instant now) {
        if (event.revision() <= configRevision) {
            return Optional.empty(); // replayed or stale
        }
        configRevision = event.revision();
        directory = event.directory();
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
        Optional<TenantLockState> change = Optional.empty();
        if (state == null || !wasEnabled && state.status() == LockStatus.HEALTHY) {
            change = publish(TenantLockState.healthy(tenantId, now, "customer key in use"));
        }
        if (earlyFailure != null) {
            KeyAccessFailure failure = earlyFailure;
            earlyFailure = null;
            Optional<TenantLockState> degraded =
                    onFailure(failure, earlyFailureAt.isBefore(now) ? now : earlyFailureAt);
            if (degraded.isPresent()) {
                return degraded; // the HEALTHY state above is superseded before anyone could act on it
            }
        }
        return change;
    }

    Optional<TenantLockState> onFailure(KeyAccessFailure failure, Instant at) {
        if (!failure.startsGrace()) {
            return Optional.empty(); // throttling only backs off
        }
        if (!byokEnabled) {
            if (configRevision < 0 && earlyFailure == null) {
                earlyFailure = failure; // config not seen yet: a customer-key failure implies BYOK is on
                earlyFailureAt = at;
            }
            return Optional.empty(); // managed-only tenants cannot degrade
        }
        if (status() != LockStatus.HEALTHY || at.isBefore(recoveredAt)) {
            return Optional.empty(); // already counting down (deadline kept), or older than the last recovery
        }
        return publish(new TenantLockState(
                tenantId,
                LockStatus.DEGRADED,
                Optional.of(failure),
                reason(failure),
                at,
                Optional.of(at.plus(grace)),
                lastProbe()));
    }

    Optional<TenantLockState> onVerified(Instant at) {
        if (status() == LockStatus.HEALTHY || at.isBefore(state.since())) {
            return Optional.empty();
        }
        recoveredAt = at;
        return publish(new TenantLockState(
                tenantId,
                LockStatus.HEALTHY,
                Optional.empty(),
                "the key works again: verified by a wrap and unwrap round trip",
                at,
                Optional.empty(),
                lastProbe()));
    }

    Optional<TenantLockState> onTick(Instant now) {
        if (status() != LockStatus.DEGRADED || now.isBefore(state.lockDeadline().orElseThrow())) {
            return Optional.empty();
        }
        Instant deadline = state.lockDeadline().get();
        return publish(new TenantLockState(
                tenantId, LockStatus.LOCKED, state.failure(), state.reason(), deadline, Optional.empty(), lastProbe()));
    }

    /** Records a probe; the state is republished only while the tenant is DEGRADED or LOCKED. */
    Optional<TenantLockState> onProbed(Instant at) {
        if (status() == LockStatus.HEALTHY) {
            return Optional.empty();
        }
        return publish(new TenantLockState(
                tenantId,
                state.status(),
                state.failure(),
                state.reason(),
                state.since(),
                state.lockDeadline(),
                Optional.of(at)));
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
