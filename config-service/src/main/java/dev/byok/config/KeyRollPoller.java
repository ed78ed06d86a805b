package dev.byok.config;

import dev.byok.service.Jitter;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Polls each BYOK tenant's key for a new version every {@code byok.roll.poll-interval} (default
 * 5 min), jittered ±10 % per tenant so checks spread over time and stay within the per-vault budget.
 */
@ApplicationScoped
public class KeyRollPoller {
    private final KeyRoll roll;
    private final Duration interval;
    private final Map<String, Instant> nextCheck = new ConcurrentHashMap<>();

    KeyRollPoller(
            KeyRoll roll, @ConfigProperty(name = "byok.roll.poll-interval", defaultValue = "PT5M") Duration interval) {
        this.roll = roll;
        this.interval = interval;
    }

    @Scheduled(
            every = "${byok.roll.tick:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() throws Throwable {
        pollOnce(Instant.now());
    }

    /** Checks every enabled tenant whose next check is due at {@code now}; returns how many rolled. */
    int pollOnce(Instant now) throws Throwable {
        List<TenantEncryption> enabled = VertxContextSupport.subscribeAndAwait(
                () -> Panache.withSession(() -> TenantEncryption.<TenantEncryption>list("byokEnabled", true)));
        int rolled = 0;
        for (TenantEncryption s : enabled) {
            Instant due = nextCheck.computeIfAbsent(s.tenantId, t -> now.plus(Jitter.around(interval)));
            if (!due.isAfter(now)) {
                nextCheck.put(s.tenantId, now.plus(Jitter.around(interval)));
                if (VertxContextSupport.subscribeAndAwait(() -> roll.check(s))) {
                    rolled++;
                }
            }
        }
        return rolled;
    }
}
