package dev.byok.lockdown;

import dev.byok.kms.KeyAccessFailure;
import dev.byok.kms.KeyRef;
import dev.byok.kms.Kms;
import dev.byok.kms.KmsException;
import dev.byok.kms.KmsFutures;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

/**
 * Probes a tenant's key with a real round trip: resolve the latest version, wrap 32 random bytes,
 * unwrap them, compare. Only this (or the same from another service) may unlock a tenant. Calls go
 * through the per-tenant {@link Kms} view the caller provides (audited as PROBE, rate limited).
 */
final class KeyProber {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The tenant's KMS view, signing in to the key's directory. */
    private final BiFunction<String, Optional<String>, Kms> kmsForTenant;

    private final Clock clock;

    KeyProber(BiFunction<String, Optional<String>, Kms> kmsForTenant, Clock clock) {
        this.kmsForTenant = kmsForTenant;
        this.clock = clock;
    }

    CompletionStage<ProbeOutcome> probe(String tenantId, Optional<String> directory, KeyRef key) {
        Kms kms = kmsForTenant.apply(tenantId, directory);
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        long start = System.nanoTime();
        return kms.resolveLatest(key)
                .thenCompose(version -> kms.wrap(version, bytes)
                        .thenCompose(wrapped -> kms.unwrap(version, wrapped))
                        .thenApply(back -> {
                            Duration latency = Duration.ofNanos(System.nanoTime() - start);
                            if (!Arrays.equals(back, bytes)) {
                                return (ProbeOutcome) new ProbeOutcome.Failed(
                                        tenantId,
                                        KeyAccessFailure.UNKNOWN,
                                        "the key unwrapped different bytes",
                                        clock.instant(),
                                        latency);
                            }
                            return new ProbeOutcome.Verified(tenantId, version.toString(), clock.instant(), latency);
                        }))
                .exceptionally(error -> {
                    Throwable cause = KmsFutures.cause(error);
                    KeyAccessFailure failure = cause instanceof KmsException k ? k.failure() : KeyAccessFailure.UNKNOWN;
                    return new ProbeOutcome.Failed(
                            tenantId,
                            failure,
                            cause.getMessage() == null ? failure.description() : cause.getMessage(),
                            clock.instant(),
                            Duration.ofNanos(System.nanoTime() - start));
                });
    }
}
