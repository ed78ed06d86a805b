package dev.byok.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.byok.kms.KeyAccessFailure;
import java.time.Instant;
import java.util.Objects;

/**
 * What a service met when it used a tenant's customer key. Failures drive lockdown; a verified
 * success (a real wrap + unwrap round trip) lifts it.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = KeyAccessEvent.Failed.class, name = "FAILED"),
        @JsonSubTypes.Type(value = KeyAccessEvent.Succeeded.class, name = "SUCCEEDED")})
public sealed interface KeyAccessEvent {
    String tenantId();

    /** The versioned key id used, or the unversioned key URI when no version was resolved. */
    String keyId();

    KeyOperation operation();

    /** The reporting service, e.g. {@code crypto-service}. */
    String source();

    Instant occurredAt();

    /** A classified failure; {@code message} is safe to show admins (no key material). */
    record Failed(String tenantId, String keyId, KeyOperation operation, String source, Instant occurredAt,
                  KeyAccessFailure failure, String message) implements KeyAccessEvent {
        public Failed {
            Objects.requireNonNull(tenantId, "tenantId");
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(operation, "operation");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(occurredAt, "occurredAt");
            Objects.requireNonNull(failure, "failure");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * A success. {@code roundTripVerified} is true only when the same key version both wrapped and
     * unwrapped fresh bytes: only such a success may unlock a tenant.
     */
    record Succeeded(String tenantId, String keyId, KeyOperation operation, String source, Instant occurredAt,
                     boolean roundTripVerified) implements KeyAccessEvent {
        public Succeeded {
            Objects.requireNonNull(tenantId, "tenantId");
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(operation, "operation");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(occurredAt, "occurredAt");
        }
    }
}
