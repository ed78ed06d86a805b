package dev.byok.lockdown;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code byok.lockdown.*}: the state machine's timing (see docs/architecture.md). */
@ConfigMapping(prefix = "byok.lockdown")
public interface LockdownConfig {
    /** DEGRADED → LOCKED after this long without a verified success. */
    @WithDefault("PT1H")
    Duration grace();

    @WithDefault("PT30S")
    Duration degradedProbeInterval();

    @WithDefault("PT5M")
    Duration backgroundProbeInterval();

    @WithDefault("PT1S")
    Duration tickInterval();

    @WithDefault("lockdown-service")
    String groupId();
}
