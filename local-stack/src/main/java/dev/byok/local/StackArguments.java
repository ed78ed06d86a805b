package dev.byok.local;

import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The run command's options (also the demo's, which must find the stack): a picocli mixin that builds {@link StackOptions}. */
public final class StackArguments {
    @Option(
            names = "--fresh",
            description = "delete the stack's data first (Kafka, PostgreSQL, Key Vault emulator, tokens)")
    boolean fresh;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "where the data lives (default: .byok/local)")
    Path dataDir;

    @Option(
            names = "--kafka-port",
            paramLabel = "N",
            defaultValue = "9092",
            description = "Kafka (its controller listens on N+1; default: ${DEFAULT-VALUE})")
    int kafkaPort;

    @Option(
            names = "--postgres-port",
            paramLabel = "N",
            defaultValue = "5432",
            description = "PostgreSQL (default: ${DEFAULT-VALUE})")
    int postgresPort;

    @Option(
            names = "--vault-port",
            paramLabel = "N",
            defaultValue = "8443",
            description = "the Key Vault emulator's vault byok-demo (default: ${DEFAULT-VALUE})")
    int vaultPort;

    @Option(
            names = "--emulator-admin-port",
            paramLabel = "N",
            defaultValue = "8480",
            description = "the emulator's admin API (default: ${DEFAULT-VALUE})")
    int emulatorAdminPort;

    @Option(
            names = "--config-port",
            paramLabel = "N",
            defaultValue = "8081",
            description = "config-service (its health and metrics on N+1000; default: ${DEFAULT-VALUE})")
    int configPort;

    @Option(
            names = "--crypto-port",
            paramLabel = "N",
            defaultValue = "8082",
            description = "crypto-service (default: ${DEFAULT-VALUE})")
    int cryptoPort;

    @Option(
            names = "--sweeper-port",
            paramLabel = "N",
            defaultValue = "8083",
            description = "sweeper-service (default: ${DEFAULT-VALUE})")
    int sweeperPort;

    @Option(
            names = "--lockdown-port",
            paramLabel = "N",
            defaultValue = "8084",
            description = "lockdown-service (default: ${DEFAULT-VALUE})")
    int lockdownPort;

    @Option(
            names = "--lock-grace",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description =
                    "how long a DEGRADED tenant has before it locks (ISO-8601; default PT1H, PT30S with --demo-timers)")
    Duration lockGrace;

    @Option(
            names = "--tenant",
            paramLabel = "ID",
            defaultValue = "contoso",
            description = "the tenant of the printed token (default: ${DEFAULT-VALUE})")
    String tenant;

    @Option(
            names = "--infra-only",
            description = "start Kafka, PostgreSQL and the Key Vault emulator only, and write each service's"
                    + " %%dev settings for mvn quarkus:dev -pl <service> (the Quarkus dev loop)")
    boolean infraOnly;

    @Option(
            names = "--demo-timers",
            description = "roll polling, key probes and sweeps every few seconds, lock grace PT30S (for the demo)")
    boolean demoTimers;

    /** The options for the repository at {@code root}; a port outside 1..65535 is refused. */
    StackOptions options(Path root) {
        int[] ports = {
            kafkaPort, postgresPort, vaultPort, emulatorAdminPort, configPort, cryptoPort, sweeperPort, lockdownPort
        };
        for (int port : ports) {
            if (port < 1 || port > 65534) {
                throw new IllegalArgumentException("port " + port + " is outside 1..65534");
            }
        }
        for (int port : new int[] {configPort, cryptoPort, sweeperPort, lockdownPort}) {
            if (port + StackPorts.MANAGEMENT_OFFSET > 65535) {
                throw new IllegalArgumentException(
                        "port " + port + " leaves no room for its management port (+1000): choose one up to 64535");
            }
        }
        Path data = dataDir != null ? dataDir : root.resolve(".byok/local");
        Duration grace = lockGrace != null ? lockGrace : demoTimers ? Duration.ofSeconds(30) : Duration.ofHours(1);
        StackPorts chosen = new StackPorts(
                kafkaPort,
                kafkaPort + 1,
                postgresPort,
                vaultPort,
                vaultPort + 1,
                emulatorAdminPort,
                configPort,
                cryptoPort,
                sweeperPort,
                lockdownPort,
                configPort + StackPorts.MANAGEMENT_OFFSET,
                cryptoPort + StackPorts.MANAGEMENT_OFFSET,
                sweeperPort + StackPorts.MANAGEMENT_OFFSET,
                lockdownPort + StackPorts.MANAGEMENT_OFFSET);
        return new StackOptions(root, data, fresh, chosen, grace, tenant, demoTimers, infraOnly);
    }
}
