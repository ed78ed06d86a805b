package dev.byok.kms;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One KMS operation as {@link AuditedKms} saw it: who used which key (version), why, and how it went.
 * Never contains key material or wrapped bytes.
 *
 * @param keyId     the versioned key id, or the key's id for operations on the key as a whole
 * @param failure   the failure class when {@code succeeded} is false; empty then means the key worked
 *                  but refused the input (wrapped bytes that are not valid for it)
 * @param latencyMs the call's duration, including retries
 */
public record KeyUse(
        String tenantId,
        String keyId,
        KeyOperation operation,
        KeyUsagePurpose purpose,
        boolean succeeded,
        Optional<KeyAccessFailure> failure,
        long latencyMs,
        Instant occurredAt) {
    public KeyUse {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(occurredAt, "occurredAt");
        if (succeeded && failure.isPresent()) {
            throw new IllegalArgumentException("a successful call names no failure class");
        }
    }
}
