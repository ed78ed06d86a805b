package dev.byok.local;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What the local stack runs with.
 *
 * @param repositoryRoot where the services' packaged jars are ({@code <service>/target/quarkus-app})
 * @param ports          every port it listens on
 * @param lockGrace      DEGRADED → LOCKED (the demo uses seconds)
 * @param demoTimers     seconds instead of minutes for roll polling, key probes and sweeps (the demo, the end-to-end test)
 * @param infraOnly      start Kafka, PostgreSQL and the emulator only, and write each service's {@code %dev} settings
 *                       ({@link DevConfig}) for {@code mvn quarkus:dev}
 */
public record StackOptions(
        Path repositoryRoot,
        Path dataDir,
        boolean fresh,
        StackPorts ports,
        Duration lockGrace,
        String tenant,
        boolean demoTimers,
        boolean infraOnly) {
    public static StackOptions defaults(Path repositoryRoot) {
        return new StackOptions(
                repositoryRoot,
                repositoryRoot.resolve(".byok/local"),
                false,
                StackPorts.DEFAULTS,
                Duration.ofHours(1),
                "contoso",
                false,
                false);
    }

    public StackOptions withInfraOnly(boolean infra) {
        return new StackOptions(repositoryRoot, dataDir, fresh, ports, lockGrace, tenant, demoTimers, infra);
    }

    public StackOptions withDataDir(Path dir) {
        return new StackOptions(repositoryRoot, dir, fresh, ports, lockGrace, tenant, demoTimers, infraOnly);
    }

    public StackOptions withDemoTimers(boolean demo) {
        return new StackOptions(repositoryRoot, dataDir, fresh, ports, lockGrace, tenant, demo, infraOnly);
    }

    public StackOptions withLockGrace(Duration grace) {
        return new StackOptions(repositoryRoot, dataDir, fresh, ports, grace, tenant, demoTimers, infraOnly);
    }

    public StackOptions withPorts(StackPorts other) {
        return new StackOptions(repositoryRoot, dataDir, fresh, other, lockGrace, tenant, demoTimers, infraOnly);
    }
}
