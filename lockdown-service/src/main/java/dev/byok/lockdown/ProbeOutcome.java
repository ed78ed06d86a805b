package dev.byok.lockdown;

import dev.byok.kms.KeyAccessFailure;
import java.time.Duration;
import java.time.Instant;

/** What one health probe of a tenant's key found. */
sealed interface ProbeOutcome {
    String tenantId();

    Instant at();

    Duration latency();

    /** The latest version wrapped and unwrapped fresh bytes: the key works. */
    record Verified(String tenantId, String keyVersionId, Instant at, Duration latency) implements ProbeOutcome {}

    record Failed(String tenantId, KeyAccessFailure failure, String message, Instant at, Duration latency)
            implements ProbeOutcome {}
}
