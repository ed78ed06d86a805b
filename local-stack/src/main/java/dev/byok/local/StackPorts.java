package dev.byok.local;

import dev.byok.infra.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every port the local stack listens on; the defaults are the services' own. Each service also serves health and
 * metrics on its management port (by default its HTTP port + 1000).
 */
public record StackPorts(
        int kafka,
        int kafkaController,
        int postgres,
        int vault,
        int ownVault,
        int emulatorAdmin,
        int config,
        int crypto,
        int sweeper,
        int lockdown,
        int configManagement,
        int cryptoManagement,
        int sweeperManagement,
        int lockdownManagement) {
    /** How far a service's management port is from its HTTP port, unless chosen otherwise. */
    static final int MANAGEMENT_OFFSET = 1000;

    public static final StackPorts DEFAULTS =
            new StackPorts(9092, 9093, 5432, 8443, 8444, 8480, 8081, 8082, 8083, 8084, 9081, 9082, 9083, 9084);

    /** Ports free right now, one for each (tests run stacks side by side with them). */
    public static StackPorts free() {
        try {
            return new StackPorts(
                    EmbeddedKafkaBroker.freePort(),
                    EmbeddedKafkaBroker.freePort(),
                    EmbeddedKafkaBroker.freePort(),
                    EmbeddedKafkaBroker.freePort(),
                    EmbeddedKafkaBroker.freePort(),
                    EmbeddedKafkaBroker.freePort(),
                    EmbeddedKafkaBroker.freePort(),
                    EmbeddedKafkaBroker.freePort(),
                    EmbeddedKafkaBroker.freePort(),
                    EmbeddedKafkaBroker.freePort(),
                    EmbeddedKafkaBroker.freePort(),
                    EmbeddedKafkaBroker.freePort(),
                    EmbeddedKafkaBroker.freePort(),
                    EmbeddedKafkaBroker.freePort());
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    /** Refuses to start when a port is taken, naming each one with the option that moves it. */
    void requireFree() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("Kafka (--kafka-port)", kafka);
        ports.put("Kafka controller (--kafka-port + 1)", kafkaController);
        ports.put("PostgreSQL (--postgres-port)", postgres);
        ports.put("Key Vault emulator (--vault-port)", vault);
        ports.put("the service's own vault (--vault-port + 1)", ownVault);
        ports.put("Key Vault emulator admin (--emulator-admin-port)", emulatorAdmin);
        ports.put("config-service (--config-port)", config);
        ports.put("crypto-service (--crypto-port)", crypto);
        ports.put("sweeper-service (--sweeper-port)", sweeper);
        ports.put("lockdown-service (--lockdown-port)", lockdown);
        ports.put("config-service's management (--config-port + 1000)", configManagement);
        ports.put("crypto-service's management (--crypto-port + 1000)", cryptoManagement);
        ports.put("sweeper-service's management (--sweeper-port + 1000)", sweeperManagement);
        ports.put("lockdown-service's management (--lockdown-port + 1000)", lockdownManagement);
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
