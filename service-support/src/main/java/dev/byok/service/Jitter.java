package dev.byok.service;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Spreads periodic work so that tenants, and replicas, do not all call their vaults in step. */
public final class Jitter {
    private Jitter() {}

    /** A random duration within ±10 % of {@code interval}. */
    public static Duration around(Duration interval) {
        long millis = interval.toMillis();
        return Duration.ofMillis(
                millis - millis / 10 + ThreadLocalRandom.current().nextLong(Math.max(1, millis / 5)));
    }
}
