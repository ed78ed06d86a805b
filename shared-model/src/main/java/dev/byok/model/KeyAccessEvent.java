package dev.byok.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.byok.kms.KeyAccessFailure;
import dev.byok.kms.KeyOperation;
import java.time.Instant;
import java.util.Objects;

/**
 * What a service met when it used a tenant's customer key. Services report failures only: they drive
 * lockdown, and only lockdown's own probe (a real wrap + unwrap round trip) lifts it, so a reported
 * success would be a forgery's lever and nothing else.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes(@JsonSubTypes.Type(value = KeyAccessEvent.Failed.class, name = "FAILED"))
public sealed interface KeyAccessEvent {
    String tenantId();

    /** The versioned key id used, or the unversioned key URI when no version was resolved. */
    String keyId();

    KeyOperation operation();

    /** The reporting service, e.g. {@code crypto-service}. */
    String source();

    Instant occurredAt();

    /** A classified failure; {@code message} is safe to show admins (no key material). */
    record Failed(
            String tenantId,
            String keyId,
            KeyOperation operation,
            String source,
            Instant occurredAt,
            KeyAccessFailure failure,
            String message)
            implements KeyAccessEvent {
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
}
