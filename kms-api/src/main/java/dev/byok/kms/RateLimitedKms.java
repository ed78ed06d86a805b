package dev.byok.kms;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A per-vault token bucket in front of a KMS, so a service stays below the provider's per-vault
 * limits (Azure Key Vault, RSA-2048: 4 000 operations per 10 s; HSM: 2 000). A call waits for its turn up to
 * {@code maxWait}; beyond that it fails at once as {@link KeyAccessFailure#THROTTLED}. When the
 * vault answers 429 with Retry-After, the whole vault is paused for that long.
 */
public final class RateLimitedKms implements Kms {
    /** Vaults tracked at most (see {@link TokenBuckets}). */
    static final int MAX_VAULTS = 4096;

    /**
     * @param opsPer10Seconds this process's share of the vault's budget (divide by replicas)
     * @param maxWait         the longest a call queues for a token
     */
    public record Budget(int opsPer10Seconds, Duration maxWait) {
        public Budget {
            if (opsPer10Seconds < 1) {
                throw new IllegalArgumentException("opsPer10Seconds must be at least 1");
            }
            if (maxWait.isNegative()) {
                throw new IllegalArgumentException("maxWait must not be negative");
            }
        }
    }

    /** The call never reached the vault: this process's own budget is spent (not a sign that the key is unhealthy). */
    public static final class OwnBudgetExhausted extends KmsException {
        OwnBudgetExhausted(String vault, Budget budget, Duration retryAfter) {
            super(
                    KeyAccessFailure.THROTTLED,
                    "the service's own budget for " + vault + " is exhausted (" + budget.opsPer10Seconds()
                            + " operations per 10 s)",
                    retryAfter,
                    null);
        }
    }

    private final Kms delegate;
    private final Budget budget;
    private final ScheduledExecutorService scheduler;
    private final TokenBuckets<String> buckets;

    private RateLimitedKms(
            Kms delegate, Budget budget, ScheduledExecutorService scheduler, TokenBuckets<String> buckets) {
        this.delegate = delegate;
        this.budget = budget;
        this.scheduler = scheduler;
        this.buckets = buckets;
    }

    private RateLimitedKms(Kms delegate, Budget budget, ScheduledExecutorService scheduler, LongSupplier nanoTime) {
        this(
                delegate,
                budget,
                scheduler,
                new TokenBuckets<>(budget.opsPer10Seconds(), Duration.ofSeconds(10), MAX_VAULTS, nanoTime));
    }

    public static RateLimitedKms wrap(Kms delegate, Budget budget, ScheduledExecutorService scheduler) {
        return new RateLimitedKms(delegate, budget, scheduler, System::nanoTime);
    }

    static RateLimitedKms wrap(Kms delegate, Budget budget, ScheduledExecutorService scheduler, LongSupplier nanoTime) {
        return new RateLimitedKms(delegate, budget, scheduler, nanoTime);
    }

    /** {@code other} behind the same per-vault buckets: a vault's budget is shared whichever directory signs in to it. */
    public RateLimitedKms over(Kms other) {
        return new RateLimitedKms(other, budget, scheduler, buckets);
    }

    @Override
    public CompletionStage<KeyVersionId> resolveLatest(KeyRef key) {
        return limited(key.vault(), () -> delegate.resolveLatest(key));
    }

    @Override
    public CompletionStage<byte[]> wrap(KeyVersionId key, byte[] plaintextKey) {
        return limited(key.key().vault(), () -> delegate.wrap(key, plaintextKey));
    }

    @Override
    public CompletionStage<byte[]> unwrap(KeyVersionId key, byte[] wrappedKey) {
        return limited(key.key().vault(), () -> delegate.unwrap(key, wrappedKey));
    }

    @Override
    public CompletionStage<KeyDescription> describe(KeyRef key) {
        return limited(key.vault(), () -> delegate.describe(key));
    }

    private <T> CompletionStage<T> limited(String vault, Supplier<CompletionStage<T>> call) {
        long waitNanos = buckets.reserve(vault, budget.maxWait());
        if (waitNanos < 0) {
            return KmsFutures.failed(new OwnBudgetExhausted(vault, budget, Duration.ofNanos(-waitNanos)));
        }
        CompletionStage<T> started = waitNanos == 0 ? call.get() : delayed(waitNanos, call);
        return started.whenComplete((result, error) -> {
            if (KmsFutures.cause(error) instanceof KmsException k && k.failure() == KeyAccessFailure.THROTTLED) {
                k.retryAfter().ifPresent(after -> buckets.pause(vault, after));
            }
        });
    }

    private <T> CompletionStage<T> delayed(long waitNanos, Supplier<CompletionStage<T>> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        scheduler.schedule(
                () -> call.get().whenComplete((r, e) -> {
                    if (e != null) {
                        result.completeExceptionally(KmsFutures.cause(e));
                    } else {
                        result.complete(r);
                    }
                }),
                waitNanos,
                TimeUnit.NANOSECONDS);
        return result;
    }
}
