package dev.byok.lockdown;

import java.time.Duration;
import java.util.Objects;

/**
 * @param grace                   DEGRADED → LOCKED after this long without a verified success (default 1 h)
 * @param degradedProbeInterval   how often a DEGRADED or LOCKED tenant's key is probed (default 30 s)
 * @param backgroundProbeInterval how often every BYOK tenant's key is probed, jittered ±10 % (default 5 min)
 * @param tickInterval            how often deadlines are checked and probes started (default 1 s)
 * @param groupId                 the consumer group shared by every replica
 */
public record LockdownSettings(
        Duration grace,
        Duration degradedProbeInterval,
        Duration backgroundProbeInterval,
        Duration tickInterval,
        String groupId) {
    public LockdownSettings {
        Objects.requireNonNull(grace, "grace");
        Objects.requireNonNull(degradedProbeInterval, "degradedProbeInterval");
        Objects.requireNonNull(backgroundProbeInterval, "backgroundProbeInterval");
        Objects.requireNonNull(tickInterval, "tickInterval");
        Objects.requireNonNull(groupId, "groupId");
        if (grace.isNegative()
                || degradedProbeInterval.isZero()
                || backgroundProbeInterval.isZero()
                || tickInterval.isZero()) {
            throw new IllegalArgumentException("grace must not be negative; intervals must be positive");
        }
    }
}
