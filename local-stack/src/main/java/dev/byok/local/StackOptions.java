package dev.byok.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the local stack runs with. Every port is configurable; the defaults are the services' own.
 *
 * @param repositoryRoot where the services' packaged jars are ({@code <service>/target/quarkus-app})
 * @param lockGrace      DEGRADED → LOCKED (the demo uses seconds)
 * @param demoTimers     seconds instead of minutes for roll polling, key probes and sweeps (the demo, the end-to-end test)
 */
public record StackOptions(Path repositoryRoot, Path dataDir, boolean fresh, int kafkaPort, int kafkaControllerPort, int postgresPort,
                           int vaultPort, int emulatorAdminPort, int configPort, int cryptoPort, int sweeperPort, int lockdownPort,
                           Duration lockGrace, String tenant, boolean demoTimers) {
    static final String USAGE = """
            options (all optional):
              --fresh                 delete the stack's data first (Kafka, PostgreSQL, Key Vault emulator, tokens)
              --data-dir DIR          where the data lives (default .byok/local)
              --kafka-port N          9092 (its controller listens on N+1)
              --postgres-port N       5432
              --vault-port N          8443 (Key Vault emulator, vault byok-demo); --emulator-admin-port N 8480
              --config-port N 8081, --crypto-port N 8082, --sweeper-port N 8083, --lockdown-port N 8084
              --lock-grace DURATION   PT1H (ISO-8601; how long a DEGRADED tenant has before it locks)
              --tenant ID             contoso (the tenant of the printed development token)
              --demo-timers           roll polling, key probes and sweeps every few seconds, lock grace PT30S (for the demo)""";

    public static StackOptions defaults(Path repositoryRoot) {
        return new StackOptions(repositoryRoot, repositoryRoot.resolve(".byok/local"), false, 9092, 9093, 5432, 8443, 8480,
                8081, 8082, 8083, 8084, Duration.ofHours(1), "contoso", false);
    }

    public static StackOptions parse(Path repositoryRoot, String[] args) {
        Map<String, String> given = new HashMap<>();
        boolean fresh = false;
        boolean demo = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--fresh")) {
                fresh = true;
            } else if (args[i].equals("--demo-timers")) {
                demo = true;
            } else if (VALUED.contains(args[i]) && i + 1 < args.length) {
                given.put(args[i], args[++i]);
            } else {
                throw new IllegalArgumentException((VALUED.contains(args[i]) ? args[i] + " needs a value" : "unknown option " + args[i])
                        + "\n" + USAGE);
            }
        }
        int kafka = port(given, "--kafka-port", 9092);
        return new StackOptions(repositoryRoot, Path.of(given.getOrDefault("--data-dir", repositoryRoot.resolve(".byok/local").toString())),
                fresh, kafka, kafka + 1, port(given, "--postgres-port", 5432), port(given, "--vault-port", 8443),
                port(given, "--emulator-admin-port", 8480), port(given, "--config-port", 8081), port(given, "--crypto-port", 8082),
                port(given, "--sweeper-port", 8083), port(given, "--lockdown-port", 8084),
                Duration.parse(given.getOrDefault("--lock-grace", demo ? "PT30S" : "PT1H")), given.getOrDefault("--tenant", "contoso"), demo);
    }

    private static final Set<String> VALUED = Set.of("--data-dir", "--kafka-port", "--postgres-port", "--vault-port", "--emulator-admin-port",
            "--config-port", "--crypto-port", "--sweeper-port", "--lockdown-port", "--lock-grace", "--tenant");

    public StackOptions withFresh(boolean fresh) {
        return new StackOptions(repositoryRoot, dataDir, fresh, kafkaPort, kafkaControllerPort, postgresPort, vaultPort, emulatorAdminPort,
                configPort, cryptoPort, sweeperPort, lockdownPort, lockGrace, tenant, demoTimers);
    }

    public StackOptions withDataDir(Path dir) {
        return new StackOptions(repositoryRoot, dir, fresh, kafkaPort, kafkaControllerPort, postgresPort, vaultPort, emulatorAdminPort,
                configPort, cryptoPort, sweeperPort, lockdownPort, lockGrace, tenant, demoTimers);
    }

    public StackOptions withDemoTimers(boolean demo) {
        return new StackOptions(repositoryRoot, dataDir, fresh, kafkaPort, kafkaControllerPort, postgresPort, vaultPort, emulatorAdminPort,
                configPort, cryptoPort, sweeperPort, lockdownPort, lockGrace, tenant, demo);
    }

    public StackOptions withLockGrace(Duration grace) {
        return new StackOptions(repositoryRoot, dataDir, fresh, kafkaPort, kafkaControllerPort, postgresPort, vaultPort, emulatorAdminPort,
                configPort, cryptoPort, sweeperPort, lockdownPort, grace, tenant, demoTimers);
    }

    public StackOptions withPorts(int kafka, int kafkaController, int postgres, int vault, int emulatorAdmin, int config, int crypto,
                                  int sweeper, int lockdown) {
        return new StackOptions(repositoryRoot, dataDir, fresh, kafka, kafkaController, postgres, vault, emulatorAdmin, config, crypto,
                sweeper, lockdown, lockGrace, tenant, demoTimers);
    }

    private static int port(Map<String, String> given, String option, int fallback) {
        int port = given.containsKey(option) ? Integer.parseInt(given.get(option)) : fallback;
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(option + " " + port + " is outside 1..65535");
        }
        return port;
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
            throw new IllegalStateException(String.join("\n", taken) + "\nstop what uses it, or choose another port with the option named");
        }
    }
}
