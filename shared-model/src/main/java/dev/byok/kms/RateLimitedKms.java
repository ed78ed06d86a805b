package dev.byok.kms;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A per-vault token bucket in front of a KMS, so a service stays below Azure's per-vault limits
 * (RSA-2048: 4 000 operations per 10 s; HSM: 2 000). A call waits for its turn up to
 * {@code maxWait}; beyond that it fails at once as {@link KeyAccessFailure#THROTTLED}. When the
 * vault answers 429 with Retry-After, the whole vault is paused for that long.
 */
public final class RateLimitedKms implements Kms {
    /**
     * Vaults tracked at most. Idle buckets (full, not paused) are dropped first: they would be
     * recreated as they are. A new vault beyond the bound while every bucket is busy is refused.
     */
    static final int MAX_BUCKETS = 4096;

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
        OwnBudgetExhausted(URI vault, Budget budget, Duration retryAfter) {
            super(KeyAccessFailure.THROTTLED, "the service's own budget for " + vault + " is exhausted ("
                    + budget.opsPer10Seconds() + " operations per 10 s)", retryAfter, null);
        }
    }

    private final Kms delegate;
    private final Budget budget;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier nanoTime;
    private final Map<URI, Bucket> buckets = new ConcurrentHashMap<>();

    private RateLimitedKms(Kms delegate, Budget budget, ScheduledExecutorService scheduler, LongSupplier nanoTime) {
        this.delegate = delegate;
        this.budget = budget;
        this.scheduler = scheduler;
        this.nanoTime = nanoTime;
    }

    public static RateLimitedKms wrap(Kms delegate, Budget budget, ScheduledExecutorService scheduler) {
        return new RateLimitedKms(delegate, budget, scheduler, System::nanoTime);
    }

    static RateLimitedKms wrap(Kms delegate, Budget budget, ScheduledExecutorService scheduler, LongSupplier nanoTime) {
        return new RateLimitedKms(delegate, budget, scheduler, nanoTime);
    }

    @Override
    public CompletionStage<KeyVersionId> resolveLatest(KeyRef key) {
        return limited(key.vaultUri(), () -> delegate.resolveLatest(key));
    }

    @Override
    public CompletionStage<byte[]> wrap(KeyVersionId key, byte[] plaintextKey) {
        return limited(key.key().vaultUri(), () -> delegate.wrap(key, plaintextKey));
    }

    @Override
    public CompletionStage<byte[]> unwrap(KeyVersionId key, byte[] wrappedKey) {
        return limited(key.key().vaultUri(), () -> delegate.unwrap(key, wrappedKey));
    }

    @Override
    public CompletionStage<KeyDescription> describe(KeyRef key) {
        return limited(key.vaultUri(), () -> delegate.describe(key));
    }

    private <T> CompletionStage<T> limited(URI vault, Supplier<CompletionStage<T>> call) {
        if (buckets.size() >= MAX_BUCKETS && !buckets.containsKey(vault)) {
            long now = nanoTime.getAsLong();
            buckets.values().removeIf(b -> b.idle(now));
            if (buckets.size() >= MAX_BUCKETS) {
                return KmsFutures.failed(new KmsException(KeyAccessFailure.THROTTLED, "the service is using " + MAX_BUCKETS
                        + " vaults at once; " + vault + " must wait", Duration.ofSeconds(10), null));
            }
        }
        Bucket bucket = buckets.computeIfAbsent(vault, v -> new Bucket(budget.opsPer10Seconds(), nanoTime.getAsLong()));
        long waitNanos = bucket.reserve(nanoTime.getAsLong(), budget.maxWait().toNanos());
        if (waitNanos < 0) {
            return KmsFutures.failed(new OwnBudgetExhausted(vault, budget, Duration.ofNanos(-waitNanos)));
        }
        CompletionStage<T> started = waitNanos == 0 ? call.get() : delayed(waitNanos, call);
        return started.whenComplete((result, error) -> {
            if (KmsFutures.cause(error) instanceof KmsException k && k.failure() == KeyAccessFailure.THROTTLED) {
                k.retryAfter().ifPresent(after -> bucket.pauseUntil(nanoTime.getAsLong() + after.toNanos()));
            }
        });
    }

    private <T> CompletionStage<T> delayed(long waitNanos, Supplier<CompletionStage<T>> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        scheduler.schedule(() -> call.get().whenComplete((r, e) -> {
            if (e != null) {
                result.completeExceptionally(KmsFutures.cause(e));
            } else {
                result.complete(r);
            }
        }), waitNanos, TimeUnit.NANOSECONDS);
        return result;
    }

    /** A token bucket that lets reservations queue (tokens may go negative) and can be paused. */
    static final class Bucket {
        private final double capacity;
        private final double tokensPerNano;
        private double tokens;
        private long lastRefill;
        private long pausedUntil;

        Bucket(int opsPer10Seconds, long now) {
            this.capacity = opsPer10Seconds;
            this.tokensPerNano = opsPer10Seconds / 10e9;
            this.tokens = opsPer10Seconds;
            this.lastRefill = now;
            this.pausedUntil = now;
        }

        /** Nanoseconds to wait before the call may go (0 = now), or minus the wait when it exceeds {@code maxWaitNanos}. */
        synchronized long reserve(long now, long maxWaitNanos) {
            tokens = Math.min(capacity, tokens + (now - lastRefill) * tokensPerNano);
            lastRefill = now;
            long wait = tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / tokensPerNano);
            wait = Math.max(wait, pausedUntil - now);
            if (wait > maxWaitNanos) {
                return -Math.max(wait, 1);
            }
            tokens -= 1;
            return wait;
        }

        /** Full and not paused: dropping it loses nothing. */
        synchronized boolean idle(long now) {
            return now >= pausedUntil && tokens + (now - lastRefill) * tokensPerNano >= capacity;
        }

        synchronized void pauseUntil(long until) {
            pausedUntil = Math.max(pausedUntil, until);
        }
    }
}
