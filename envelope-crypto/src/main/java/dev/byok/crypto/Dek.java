package dev.byok.crypto;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * A plaintext AES-256 data-encryption key of one tenant, in memory only. It counts the records it
 * seals and refuses to seal beyond its policy's record bound, so a caller bug cannot exceed the
 * GCM nonce budget. {@link #toString()} never shows key bytes.
 */
public final class Dek {
    public static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final UUID id;
    private final String tenantId;
    private final SecretKey key;
    private final Instant createdAt;
    private final DekPolicy policy;
    private final AtomicLong sealed;
    private final byte[] tenantIdUtf8;

    private Dek(UUID id, String tenantId, byte[] keyBytes, Instant createdAt, DekPolicy policy, long alreadySealed) {
        if (keyBytes.length != KEY_BYTES) {
            throw new IllegalArgumentException("a DEK is " + KEY_BYTES + " bytes");
        }
        this.id = Objects.requireNonNull(id);
        this.tenantId = Objects.requireNonNull(tenantId);
        this.key = new SecretKeySpec(keyBytes, "AES");
        this.createdAt = Objects.requireNonNull(createdAt);
        this.policy = Objects.requireNonNull(policy);
        this.sealed = new AtomicLong(alreadySealed);
        this.tenantIdUtf8 = Bytes.utf8(tenantId);
    }

    /** A fresh random DEK. */
    public static Dek generate(String tenantId, Instant now, DekPolicy policy) {
        byte[] bytes = new byte[KEY_BYTES];
        RANDOM.nextBytes(bytes);
        return new Dek(UUID.randomUUID(), tenantId, bytes, now, policy, 0);
    }

    /** A DEK loaded back from storage after unwrapping, with the number of records it already sealed. */
    public static Dek restore(
            UUID id, String tenantId, byte[] keyBytes, Instant createdAt, DekPolicy policy, long alreadySealed) {
        return new Dek(id, tenantId, keyBytes, createdAt, policy, alreadySealed);
    }

    public UUID id() {
        return id;
    }

    public String tenantId() {
        return tenantId;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public long recordsSealed() {
        return sealed.get();
    }

    /** When this DEK stops sealing new records, whatever it has sealed by then (its policy's age bound). */
    public Instant sealUntil() {
        return createdAt.plus(policy.maxAge());
    }

    /** Whether the policy lets this DEK seal another record at {@code now} (caller rotates otherwise). */
    public boolean usableAt(Instant now) {
        return policy.allowsAnother(sealed.get(), createdAt, now);
    }

    /** The tenant id's UTF-8 bytes, encoded once: every record's associated data starts with them. */
    byte[] tenantIdUtf8() {
        return tenantIdUtf8;
    }

    SecretKey secretKey() {
        return key;
    }

    /** The raw key bytes, for wrapping only. */
    byte[] keyBytes() {
        return key.getEncoded();
    }

    /** Counts one more sealed record; refuses past the record bound. */
    void consumeOne() {
        long n = sealed.incrementAndGet();
        if (n > policy.maxRecords()) {
            sealed.decrementAndGet();
            throw new IllegalStateException("DEK " + id + " reached its bound of " + policy.maxRecords() + " records");
        }
    }

    @Override
    public String toString() {
        return "Dek[id=" + id + ", tenant=" + tenantId + ", createdAt=" + createdAt + ", sealed=" + sealed.get() + "]";
    }
}
