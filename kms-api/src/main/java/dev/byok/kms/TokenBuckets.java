package dev.byok.kms;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per key (a vault, a tenant): {@code capacity} calls per {@code period}, refilled
 * continuously; a call may queue for its turn up to a bound, and a key can be paused. At most
 * {@code maxKeys} buckets are kept: idle ones (full, not paused) are dropped first — they would be
 * recreated as they are — and a new key while every bucket is busy is refused.
 */
public final class TokenBuckets<K> {
    private final double capacity;
    private final double tokensPerNano;
    private final int maxKeys;
    private final LongSupplier nanoTime;
    private final Map<K, Bucket> buckets = new ConcurrentHashMap<>();

    public TokenBuckets(int capacity, Duration period, int maxKeys, LongSupplier nanoTime) {
        if (capacity < 1 || period.isZero() || period.isNegative() || maxKeys < 1) {
            throw new IllegalArgumentException(
                    "a token bucket needs a capacity >= 1, a positive period and room for one key");
        }
        this.capacity = capacity;
        this.tokensPerNano = capacity / (double) period.toNanos();
        this.maxKeys = maxKeys;
        this.nanoTime = nanoTime;
    }

    /**
     * Takes a token for {@code key}: returns the nanoseconds to wait before the call may go (0 =
     * now), or, when the wait would exceed {@code maxWait} (or no bucket can be kept for a new key),
     * minus the time after which asking again makes sense; nothing is taken then.
     */
    public long reserve(K key, Duration maxWait) {
        long now = nanoTime.getAsLong();
        if (buckets.size() >= maxKeys && !buckets.containsKey(key)) {
            buckets.values().removeIf(b -> b.idle(now));
            if (buckets.size() >= maxKeys) {
                return -Math.max(1, (long) Math.ceil(1 / tokensPerNano));
            }
        }
        return buckets.computeIfAbsent(key, k -> new Bucket(now)).reserve(now, maxWait.toNanos());
    }

    /** No call for {@code key} goes before {@code pause} has passed (e.g. the vault's Retry-After). */
    public void pause(K key, Duration pause) {
        long now = nanoTime.getAsLong();
        buckets.computeIfAbsent(key, k -> new Bucket(now)).pauseUntil(now + pause.toNanos());
    }

    /** One key's bucket: reservations may queue (tokens go negative). */
    private final class Bucket {
        private double tokens = capacity;
        private long lastRefill;
        private long pausedUntil;

        Bucket(long now) {
            this.lastRefill = now;
            this.pausedUntil = now;
        }

        synchronized long reserve(long now, long maxWaitNanos) {
            refill(now);
            long wait = tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / tokensPerNano);
            wait = Math.max(wait, pausedUntil - now);
            if (wait > maxWaitNanos) {
                return -Math.max(wait, 1);
            }
            tokens -= 1;
            return wait;
        }

        synchronized boolean idle(long now) {
            refill(now);
            return now >= pausedUntil && tokens >= capacity;
        }

        synchronized void pauseUntil(long until) {
            pausedUntil = Math.max(pausedUntil, until);
        }

        private void refill(long now) {
            tokens = Math.min(capacity, tokens + (now - lastRefill) * tokensPerNano);
            lastRefill = now;
        }
    }
}
