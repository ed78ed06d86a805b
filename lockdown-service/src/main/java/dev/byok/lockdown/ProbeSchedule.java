package dev.byok.lockdown;

import dev.byok.model.LockStatus;
import dev.byok.service.Jitter;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * When each owned BYOK tenant's key is probed next, and which probes are in flight. A healthy
 * tenant is probed every background interval (jittered ±10 % so replicas do not probe in step), a
 * DEGRADED or LOCKED one every degraded interval. Used by the engine thread only.
 */
final class ProbeSchedule {
    private final Duration background;
    private final Duration degraded;
    private final Map<String, Instant> next = new HashMap<>();
    private final Set<String> inFlight = new HashSet<>();

    ProbeSchedule(LockdownSettings settings) {
        this.background = settings.backgroundProbeInterval();
        this.degraded = settings.degradedProbeInterval();
    }

    /** After a key-config change: BYOK tenants get a background probe, others none. */
    void configured(String tenantId, boolean byokEnabled, Instant now) {
        if (byokEnabled) {
            next.putIfAbsent(tenantId, now.plus(Jitter.around(background)));
        } else {
            next.remove(tenantId);
        }
    }

    /** A tenant that just degraded is probed after one degraded interval (the key may come back). */
    void degraded(String tenantId, Instant now) {
        next.put(tenantId, now.plus(degraded));
    }

    /** A restored tenant: a healthy one in the background, any other at once. */
    void restored(String tenantId, LockStatus status, Instant now) {
        next.put(tenantId, status == LockStatus.HEALTHY ? now.plus(Jitter.around(background)) : now);
    }

    void probed(String tenantId, LockStatus status, Instant now) {
        inFlight.remove(tenantId);
        next.put(tenantId, now.plus(status == LockStatus.HEALTHY ? Jitter.around(background) : degraded));
    }

    /** Whether the tenant's probe is due and none is in flight; if so it is now in flight. */
    boolean startIfDue(String tenantId, Instant now) {
        Instant due = next.get(tenantId);
        return due != null && !due.isAfter(now) && inFlight.add(tenantId);
    }

    void forget(Collection<String> tenantIds) {
        tenantIds.forEach(t -> {
            next.remove(t);
            inFlight.remove(t);
        });
    }
}
