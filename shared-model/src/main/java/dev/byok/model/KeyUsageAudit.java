package dev.byok.model;

import dev.byok.kms.KeyAccessFailure;
import dev.byok.kms.KeyOperation;
import dev.byok.kms.KeyUsagePurpose;
import dev.byok.kms.KeyUse;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One Key Vault operation, as written to the audit topic: a {@link KeyUse} (its fields are those of
 * the use, flat on the wire) and the service that made it. Never contains key material or wrapped bytes.
 *
 * @param source the calling service
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
        Objects.requireNonNull(source, "source");
        // the use's own rules: required fields, and no failure class on a success
        new KeyUse(tenantId, keyId, operation, purpose, succeeded, failure, latencyMs, occurredAt);
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
