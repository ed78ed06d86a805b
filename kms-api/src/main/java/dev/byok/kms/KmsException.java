package dev.byok.kms;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Every KMS failure, classified once. KMS methods complete their stage exceptionally with it;
 * they never throw it from the call itself. Messages name keys and operations, never key material.
 */
public class KmsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final KeyAccessFailure failure;
    private final transient Duration retryAfter;

    public KmsException(KeyAccessFailure failure, String message) {
        this(failure, message, null, null);
    }

    public KmsException(KeyAccessFailure failure, String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.failure = Objects.requireNonNull(failure);
        this.retryAfter = retryAfter;
    }

    public KeyAccessFailure failure() {
        return failure;
    }

    /** The delay the vault asked for (HTTP Retry-After), when it asked. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
