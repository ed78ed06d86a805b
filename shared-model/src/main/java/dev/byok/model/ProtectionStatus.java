package dev.byok.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a tenant's DEKs stand against its key configuration, published by sweeper-service on the
 * compacted protection topic whenever it changes. The target is every DEK under the customer key
 * version in use (BYOK enabled) or under the managed layer alone (BYOK disabled).
 *
 * @param targetKeyVersionId  the customer key version every DEK should be wrapped with; empty when BYOK is disabled
 * @param deks                DEKs the tenant has
 * @param deksOnTarget        DEKs already in the target state
 * @param oldestUnprotectedAt creation time of the oldest DEK readable without the customer key while BYOK is
 *                            enabled (an upper bound on the age of the oldest unprotected record); empty when none
 * @param protectionOverdue   that DEK is older than the configured protect-within (48 h by default)
 * @param olderVersionsInUse  customer key versions other than the target that DEKs still use
 * @param retiredKeyVersionId the version the last roll moved away from, once no DEK uses it: safe to disable in Key Vault
 * @param quarantinedDeks     DEKs set aside because their stored wrapping does not parse (counted in {@code deks}, never on target)
 * @param unreadableConfig    why the tenant's latest key configuration cannot be acted on, when it cannot: no DEK of the
 *                            tenant is touched until a readable configuration arrives
 * @param temporary           while BYOK is enabled: DEKs (and the records they sealed) stored without the customer
 *                            layer, waiting to be moved to a born-protected DEK
 * @param moving              while BYOK is enabled: DEKs under a customer key that were once stored without it (before
 *                            this rule, or stripped by a disable), waiting to be moved too
 * @param bornProtected       DEKs stored under the customer key from birth (with BYOK enabled: the target state)
 * @param oldestTemporaryAt   while BYOK is enabled: creation time of the oldest temporary or moving DEK, an upper bound
 *                            on the age of the oldest record not yet under a born-protected DEK; empty when none
 */
public record ProtectionStatus(
        String tenantId,
        Instant at,
        Optional<String> targetKeyVersionId,
        long deks,
        long deksOnTarget,
        Optional<Instant> oldestUnprotectedAt,
        boolean protectionOverdue,
        List<String> olderVersionsInUse,
        Optional<String> retiredKeyVersionId,
        long quarantinedDeks,
        Optional<String> unreadableConfig,
        DekCount temporary,
        DekCount moving,
        DekCount bornProtected,
        Optional<Instant> oldestTemporaryAt) {
    /** How many DEKs are in a state, and how many records they sealed. */
    public record DekCount(long deks, long records) {
        public static final DekCount NONE = new DekCount(0, 0);

        public DekCount plus(long moreDeks, long moreRecords) {
            return new DekCount(deks + moreDeks, records + moreRecords);
        }
    }

    public ProtectionStatus {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(targetKeyVersionId, "targetKeyVersionId");
        Objects.requireNonNull(oldestUnprotectedAt, "oldestUnprotectedAt");
        olderVersionsInUse = List.copyOf(olderVersionsInUse);
        Objects.requireNonNull(retiredKeyVersionId, "retiredKeyVersionId");
        unreadableConfig = unreadableConfig == null
                ? Optional.empty()
                : unreadableConfig; // absent from statuses written before it existed
        // absent from statuses written before temporary DEKs existed
        temporary = temporary == null ? DekCount.NONE : temporary;
        moving = moving == null ? DekCount.NONE : moving;
        bornProtected = bornProtected == null ? DekCount.NONE : bornProtected;
        oldestTemporaryAt = oldestTemporaryAt == null ? Optional.empty() : oldestTemporaryAt;
    }

    /** Every DEK is in the target state. */
    public boolean complete() {
        return deks == deksOnTarget;
    }

    /** The same status apart from when it was computed. */
    public boolean sameAs(ProtectionStatus other) {
        return other != null
                && equals(new ProtectionStatus(
                        other.tenantId,
                        at,
                        other.targetKeyVersionId,
                        other.deks,
                        other.deksOnTarget,
                        other.oldestUnprotectedAt,
                        other.protectionOverdue,
                        other.olderVersionsInUse,
                        other.retiredKeyVersionId,
                        other.quarantinedDeks,
                        other.unreadableConfig,
                        other.temporary,
                        other.moving,
                        other.bornProtected,
                        other.oldestTemporaryAt));
    }
}
