package dev.byok.model;

import dev.byok.kms.KeyAccessFailure;
import dev.byok.kms.KeyOperation;
import dev.byok.kms.KeyUsagePurpose;
import dev.byok.kms.KeyUse;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One Key Vault operation, as written to the audit topic: who used which key version, why, and how
 * it went. Never contains key material or wrapped bytes.
 *
 * @param keyId     the versioned key id, or the key URI for operations on the key as a whole
 * @param failure   the failure class when {@code succeeded} is false; empty then means the key worked
 *                  but refused the input (wrapped bytes that are not valid for it)
 * @param latencyMs the call's duration, including retries
 * @param source    the calling service
 */
public record KeyUsageAudit(
        String tenantId,
        String keyId,
        KeyOperation operation,
        KeyUsagePurpose purpose,
        boolean succeeded,
        Optional<KeyAccessFailure> failure,
        long latencyMs,
        String source,
        Instant occurredAt) {
    public KeyUsageAudit {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(occurredAt, "occurredAt");
        if (succeeded && failure.isPresent()) {
            throw new IllegalArgumentException("a successful call names no failure class");
        }
    }

    /** The audit record of one KMS operation of {@code source}, the calling service. */
    public static KeyUsageAudit of(KeyUse use, String source) {
        return new KeyUsageAudit(
                use.tenantId(),
                use.keyId(),
                use.operation(),
                use.purpose(),
                use.succeeded(),
                use.failure(),
                use.latencyMs(),
                source,
                use.occurredAt());
    }

    /** {@code OK}, the failure class, or {@code INVALID_CIPHERTEXT} (the key worked but refused the bytes). */
    public String outcome() {
        return succeeded ? "OK" : failure.map(Enum::name).orElse("INVALID_CIPHERTEXT");
    }
}
