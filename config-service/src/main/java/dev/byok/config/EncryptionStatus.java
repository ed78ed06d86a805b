package dev.byok.config;

import dev.byok.model.ProtectionStatus;
import java.time.Instant;

/**
 * What the admin sees. {@code mode}: MANAGED_ONLY, ENABLING (stored, event not yet published),
 * ENABLED, DISABLING (disabled, event not yet published), OFFBOARDED (data crypto-shredded; final).
 * {@code protection}: the sweeper's latest report on the tenant's DEKs (null until its first).
 * {@code directoryId}: the Entra directory of the tenant's keys, bound at the first enable.
 */
public record EncryptionStatus(
        String tenantId,
        String mode,
        String keyUri,
        String directoryId,
        String keyVersionId,
        long revision,
        Instant changedAt,
        Instant lastRollAt,
        Instant lastValidationAt,
        Boolean lastValidationPassed,
        LockView lock,
        ProtectionStatus protection,
        Instant offboardedAt) {
    /** The tenant's lock state as the gate knows it (HEALTHY when never degraded). */
    public record LockView(String status, String failure, String reason, Instant since, Instant lockDeadline) {}
}
