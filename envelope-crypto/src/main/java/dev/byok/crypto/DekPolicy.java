package dev.byok.crypto;

import java.time.Duration;
import java.time.Instant;

/**
 * Bounds on one data-encryption key. AES-GCM with 96-bit random nonces must stay well below 2^32
 * encryptions per key (NIST SP 800-38D, 8.3); {@link #HARD_MAX_RECORDS} is 2^28, a sixteenth of
 * that, where the chance of a nonce collision is about 2^-41.
 *
 * @param maxRecords records one DEK may seal before it is replaced (1..{@link #HARD_MAX_RECORDS})
 * @param maxAge     how long one DEK may seal new records before it is replaced
 */
public record DekPolicy(long maxRecords, Duration maxAge) {
    public static final long HARD_MAX_RECORDS = 1L << 28;
    public static final DekPolicy DEFAULT = new DekPolicy(1L << 24, Duration.ofHours(24));

    public DekPolicy {
        if (maxRecords < 1 || maxRecords > HARD_MAX_RECORDS) {
            throw new IllegalArgumentException(
                    "maxRecords must be within 1.." + HARD_MAX_RECORDS + ", was " + maxRecords);
        }
        if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive, was " + maxAge);
        }
    }

    /** Whether a DEK created at {@code createdAt} that sealed {@code used} records may seal one more at {@code now}. */
    public boolean allowsAnother(long used, Instant createdAt, Instant now) {
        return used < maxRecords && now.isBefore(createdAt.plus(maxAge));
    }
}
