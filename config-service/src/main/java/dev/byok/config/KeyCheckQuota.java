package dev.byok.config;

import dev.byok.kms.TokenBuckets;
import dev.byok.service.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Each tenant's quota of admin calls that reach a vault (validate, enable): at most
 * {@code byok.validation.per-tenant-per-minute} per minute, refilled continuously, so no tenant can
 * spend a vault's budget — its own, or another's by naming that vault — faster than that. Over it,
 * the call gets 429 with Retry-After before any Key Vault call. Per replica, like every budget here.
 */
@ApplicationScoped
class KeyCheckQuota {
    /** Tenants tracked at once; idle ones are dropped first (see {@link TokenBuckets}). */
    private static final int MAX_TENANTS = 100_000;

    private final int perMinute;
    private final TokenBuckets<String> buckets;

    KeyCheckQuota(@ConfigProperty(name = "byok.validation.per-tenant-per-minute", defaultValue = "10") int perMinute) {
        this.perMinute = perMinute;
        this.buckets = new TokenBuckets<>(perMinute, Duration.ofMinutes(1), MAX_TENANTS, System::nanoTime);
    }

    /** Takes one call from the tenant's quota, or refuses with 429. */
    void take(String tenantId) {
        long wait = buckets.reserve(tenantId, Duration.ZERO);
        if (wait < 0) {
            long seconds = Duration.ofNanos(-wait).toSeconds() + 1; // rounded up: at least 1
            throw new Problem(
                    429,
                    "Too many key checks",
                    "tenant " + tenantId + " may validate or enable a key " + perMinute + " times per minute; retry in "
                            + seconds + " s",
                    Map.of("retryAfterSeconds", seconds));
        }
    }
}
