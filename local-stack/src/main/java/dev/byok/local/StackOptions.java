package dev.byok.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the local stack runs with. Every port is configurable; the defaults are the services' own.
 *
 * @param repositoryRoot where the services' packaged jars are ({@code <service>/target/quarkus-app})
 * @param lockGrace      DEGRADED → LOCKED (the demo uses seconds)
 * @param demoTimers     seconds instead of minutes for roll polling, key probes and sweeps (the demo, the end-to-end test)
 * @param infraOnly      start Kafka, PostgreSQL and the emulator only, and write each service's {@code %dev} settings
 *                       ({@link DevConfig}) for {@code mvn quarkus:dev}
 */
public record StackOptions(
        Path repositoryRoot,
        Path dataDir,
        boolean fresh,
        int kafkaPort,
        int kafkaControllerPort,
        int postgresPort,
        int vaultPort,
        int emulatorAdminPort,
        int configPort,
        int cryptoPort,
        int sweeperPort,
        int lockdownPort,
        Duration lockGrace,
        String tenant,
        boolean demoTimers,
        boolean infraOnly) {
    public static StackOptions defaults(Path repositoryRoot) {
        return new StackOptions(
                repositoryRoot,
                repositoryRoot.resolve(".byok/local"),
                false,
                9092,
                9093,
                5432,
                8443,
                8480,
                8081,
                8082,
                8083,
                8084,
                Duration.ofHours(1),
                "contoso",
                false,
                false);
    }

    public StackOptions withInfraOnly(boolean infra) {
        return new StackOptions(
                repositoryRoot,
                dataDir,
                fresh,
                kafkaPort,
                kafkaControllerPort,
                postgresPort,
                vaultPort,
                emulatorAdminPort,
                configPort,
                cryptoPort,
                sweeperPort,
                lockdownPort,
                lockGrace,
                tenant,
                demoTimers,
                infra);
    }

    public StackOptions withFresh(boolean fresh) {
        return new StackOptions(
                repositoryRoot,
                dataDir,
                fresh,
                kafkaPort,
                kafkaControllerPort,
                postgresPort,
                vaultPort,
                emulatorAdminPort,
                configPort,
                cryptoPort,
                sweeperPort,
                lockdownPort,
                lockGrace,
                tenant,
                demoTimers,
                infraOnly);
    }

    public StackOptions withDataDir(Path dir) {
        return new StackOptions(
                repositoryRoot,
                dir,
                fresh,
                kafkaPort,
                kafkaControllerPort,
                postgresPort,
                vaultPort,
                emulatorAdminPort,
                configPort,
                cryptoPort,
                sweeperPort,
                lockdownPort,
                lockGrace,
                tenant,
                demoTimers,
                infraOnly);
    }

    public StackOptions withDemoTimers(boolean demo) {
        return new StackOptions(
                repositoryRoot,
                dataDir,
                fresh,
                kafkaPort,
                kafkaControllerPort,
                postgresPort,
                vaultPort,
                emulatorAdminPort,
                configPort,
                cryptoPort,
                sweeperPort,
                lockdownPort,
                lockGrace,
                tenant,
                demo,
                infraOnly);
    }

    public StackOptions withLockGrace(Duration grace) {
        return new StackOptions(
                repositoryRoot,
                dataDir,
                fresh,
                kafkaPort,
                kafkaControllerPort,
                postgresPort,
                vaultPort,
                emulatorAdminPort,
                configPort,
                cryptoPort,
                sweeperPort,
                lockdownPort,
                grace,
                tenant,
                demoTimers,
                infraOnly);
    }

    public StackOptions withPorts(
            int kafka,
            int kafkaController,
            int postgres,
            int vault,
            int emulatorAdmin,
            int config,
            int crypto,
            int sweeper,
            int lockdown) {
        return new StackOptions(
                repositoryRoot,
                dataDir,
                fresh,
                kafka,
                kafkaController,
                postgres,
                vault,
                emulatorAdmin,
                config,
                crypto,
                sweeper,
                lockdown,
                lockGrace,
                tenant,
                demoTimers,
                infraOnly);
    }

    /** Refuses to start when a port is taken, naming each one with the option that moves it. */
    void requirePortsFree() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("Kafka (--kafka-port)", kafkaPort);
        ports.put("Kafka controller (--kafka-port + 1)", kafkaControllerPort);
        ports.put("PostgreSQL (--postgres-port)", postgresPort);
        ports.put("Key Vault emulator (--vault-port)", vaultPort);
        ports.put("Key Vault emulator admin (--emulator-admin-port)", emulatorAdminPort);
        ports.put("config-service (--config-port)", configPort);
        ports.put("crypto-service (--crypto-port)", cryptoPort);
        ports.put("sweeper-service (--sweeper-port)", sweeperPort);
        ports.put("lockdown-service (--lockdown-port)", lockdownPort);
        List<String> taken = new ArrayList<>();
        ports.forEach((what, port) -> {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress("localhost", port));
            } catch (IOException e) {
                taken.add("port " + port + " for " + what + " is already in use");
            }
        });
        if (!taken.isEmpty()) {
            throw new IllegalStateException(
                    String.join("\n", taken) + "\nstop what uses it, or choose another port with the option named");
        }
    }
}
