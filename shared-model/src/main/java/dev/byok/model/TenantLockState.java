package dev.byok.model;

import dev.byok.kms.KeyAccessFailure;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A tenant's lock state, on the compacted lock-state topic (the latest per tenant is the truth).
 *
 * @param status       HEALTHY, DEGRADED or LOCKED
 * @param failure      the failure class that degraded or locked the tenant (empty when HEALTHY)
 * @param reason       human-readable, safe to show admins and dashboards
 * @param since        when the tenant entered this status
 * @param lockDeadline when a DEGRADED tenant locks unless the key is verified first
 * @param lastProbe    when the key was last probed, if ever
 */
public record TenantLockState(
        String tenantId,
        LockStatus status,
        Optional<KeyAccessFailure> failure,
        String reason,
        Instant since,
        Optional<Instant> lockDeadline,
        Optional<Instant> lastProbe) {
    public TenantLockState {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(lockDeadline, "lockDeadline");
        Objects.requireNonNull(lastProbe, "lastProbe");
        if (status == LockStatus.DEGRADED && lockDeadline.isEmpty()) {
            throw new IllegalArgumentException("a DEGRADED state needs its lock deadline");
        }
        if (status != LockStatus.HEALTHY && failure.isEmpty()) {
            throw new IllegalArgumentException(status + " needs the failure class that caused it");
        }
    }

    public static TenantLockState healthy(String tenantId, Instant since, String reason) {
        return new TenantLockState(
                tenantId, LockStatus.HEALTHY, Optional.empty(), reason, since, Optional.empty(), Optional.empty());
    }

    /** LOCKED by {@code failure} since {@code since}, never probed. */
    public static TenantLockState locked(String tenantId, KeyAccessFailure failure, String reason, Instant since) {
        return new TenantLockState(
                tenantId, LockStatus.LOCKED, Optional.of(failure), reason, since, Optional.empty(), Optional.empty());
    }

    /** Whether reads of this tenant's data must be refused. */
    public boolean locked() {
        return status == LockStatus.LOCKED;
    }
}
