package dev.byok.local;

import dev.byok.emulator.KeyVaultEmulator;
import dev.byok.infra.DevTokens;
import dev.byok.infra.EmbeddedKafkaBroker;
import dev.byok.infra.EmulatorServiceSettings;
import dev.byok.model.KafkaAccess;
import dev.byok.model.TokenClaims;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The whole system on one machine: a real Kafka broker, a real PostgreSQL server, the Key Vault
 * emulator (vault {@value #VAULT} with soft-delete and purge protection, key {@value #KEY}), and
 * the four services as separate processes. Everything lives under the data directory, so a restart
 * finds its topics, rows, keys and tokens again; {@code fresh} deletes it first.
 */
public final class RunningStack implements AutoCloseable {
    public static final String VAULT = "byok-demo";
    /** The service's own vault: the tenant keys (soft-delete, no purge protection; port: the vault's + 1). */
    public static final String OWN_VAULT = "byok-demo-own";

    public static final String KEY = "byok-key";
    static final List<String> SERVICES =
            List.of("config-service", "crypto-service", "sweeper-service", "lockdown-service");

    private final StackOptions options;
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> serviceProperties = new HashMap<>();
    private EmbeddedKafkaBroker broker;
    private LocalPostgres postgres;
    private KeyVaultEmulator emulator;
    private PrivateKey tokenKey;

    private RunningStack(StackOptions options) {
        this.options = options;
    }

    /** Starts everything, reporting progress; on any failure stops what was started and rethrows. */
    public static RunningStack start(StackOptions options, Consumer<String> progress) throws Exception {
        return start(options, Map.of(), progress);
    }

    /** The same, with extra properties per service (by service name): the fault suite's smaller DEKs, leases and budgets. */
    public static RunningStack start(
            StackOptions options, Map<String, Map<String, String>> overrides, Consumer<String> progress)
            throws Exception {
        RunningStack stack = new RunningStack(options);
        try {
            stack.startAll(overrides, progress);
            return stack;
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    private void startAll(Map<String, Map<String, String>> overrides, Consumer<String> progress) throws Exception {
        options.ports().requireFree();
        Path data = options.dataDir().toAbsolutePath(); // the services run in the repository root
        if (options.fresh() && Files.exists(data)) {
            progress.accept("deleting " + data + " (--fresh)");
            StackFiles.deleteTree(data);
        }
        Files.createDirectories(data);
        progress.accept("starting Kafka on localhost:" + options.ports().kafka());
        startKafka();
        progress.accept("starting PostgreSQL on localhost:" + options.ports().postgres());
        postgres = LocalPostgres.start(
                options.dataDir().toAbsolutePath(), options.ports().postgres());
        progress.accept("starting the Key Vault emulator (vault " + VAULT + " on "
                + KeyVaultEmulator.vaultUri(VAULT, options.ports().vault()) + ")");
        emulator = KeyVaultEmulator.builder()
                .vault(new KeyVaultEmulator.VaultSpec(VAULT, options.ports().vault(), true, true))
                .ownVault(OWN_VAULT, options.ports().ownVault())
                .adminPort(options.ports().emulatorAdmin())
                .stateDirectory(data.resolve("keyvault"))
                .persistKeys(true)
                .start();
        if (!emulator.vault(VAULT).hasKey(KEY)) {
            emulator.vault(VAULT).createKey(KEY, "RSA", 2048, List.of());
        }
        Path certificate =
                StackFiles.writeSecret(data.resolve("keyvault/emulator-certificate.pem"), emulator.certificatePem());
        tokenKey = DevTokens.ensureKeys(data.resolve("dev-jwt"));
        String keyring = StackFiles.managedKeyring(data.resolve("secrets/managed-keyring"));

        KafkaClientFile.write(KafkaClientFile.producerFile(data), broker.clientProperties(KafkaAccess.PRODUCER));
        Map<String, String> common = new LinkedHashMap<>();
        common.putAll(EmulatorServiceSettings.of(
                emulator, certificate, OWN_VAULT, VAULT)); // azure-identity, signing in at the emulator
        common.put(
                "mp.jwt.verify.publickey.location",
                data.resolve("dev-jwt/public.pem").toString());
        common.put("mp.jwt.verify.issuer", TokenClaims.DEV_ISSUER);
        common.put("byok.crypto.managed-keyring", keyring);
        // the packaged services run in their production profile here: the run command wants readable logs and
        // Swagger UI (production: JSON logs, no Swagger UI)
        common.put("quarkus.log.console.json.enabled", "false");
        common.put("quarkus.swagger-ui.enable", "true");
        common.put("byok.lockdown.grace", options.lockGrace().toString());
        // the emulator models one customer directory here, shared by every local tenant (production: one tenant per
        // directory)
        common.put("byok.directory.exclusive", "false");
        if (options.demoTimers()) {
            common.put("byok.roll.poll-interval", "PT3S");
            common.put("byok.roll.tick", "1s");
            common.put("byok.lockdown.background-probe-interval", "PT3S");
            common.put("byok.lockdown.degraded-probe-interval", "PT2S");
            common.put("byok.sweeper.interval", "PT2S");
            common.put("byok.sweeper.seal-margin", "PT3S");
            common.put("byok.crypto.temporary-dek-max-age", "PT1M");
        }
        common.put("quarkus.datasource.username", "byok");
        common.put("quarkus.datasource.password", "byok");
        for (String name : SERVICES) {
            Map<String, String> properties = new HashMap<>(common);
            String database = name.equals("config-service") ? "byok_config" : "byok_data";
            properties.put("quarkus.datasource.reactive.url", postgres.url("postgresql", database));
            properties.put("quarkus.datasource.jdbc.url", postgres.url("jdbc:postgresql", database));
            broker.clientProperties(name)
                    .forEach((k, v) -> properties.put("kafka." + k, v.toString())); // each service its own principal
            properties.putAll(overrides.getOrDefault(name, Map.of()));
            serviceProperties.put(name, properties);
            if (options.infraOnly()) {
                Path settings = DevConfig.write(options.repositoryRoot(), name, port(name), properties);
                progress.accept("wrote " + settings + " for mvn quarkus:dev -pl " + name);
                continue;
            }
            progress.accept("starting " + name + " on http://localhost:" + port(name) + " (log: "
                    + data.resolve("logs/" + name + ".log") + ")");
            services.put(
                    name,
                    ServiceProcess.start(
                            options.repositoryRoot(),
                            name,
                            port(name),
                            managementPort(name),
                            properties,
                            data.resolve("logs")));
        }
        for (ServiceProcess service : services.values()) {
            service.awaitReady(Duration.ofMinutes(3));
            progress.accept(service.name() + " is ready");
        }
    }

    public String bootstrapServers() {
        return "localhost:" + options.ports().kafka();
    }

    /** The complete Kafka client configuration of a principal: a service's, the producer's, or the super user's ({@code admin}). */
    public Map<String, Object> kafkaClient(String principal) {
        return broker.clientProperties(principal);
    }

    /** The URI an admin gives to enable BYOK: the sample key, without a version (the service follows the latest). */
    public String sampleKeyUri() {
        return sampleKeyUri(options.ports().vault());
    }

    /** The sample key's URI on a stack whose vault listens on {@code vaultPort}. */
    static String sampleKeyUri(int vaultPort) {
        return KeyVaultEmulator.vaultUri(VAULT, vaultPort) + "/keys/" + KEY;
    }

    public KeyVaultEmulator emulator() {
        return emulator;
    }

    /** A development admin token for a tenant, signed with the stack's development key. */
    public String adminToken(String tenant, Duration ttl) {
        return DevTokens.mint(tokenKey, tenant, ttl);
    }

    /** The development signing key of the stack's tokens (tests mint expired or role-less tokens with it). */
    public PrivateKey devTokenKey() {
        return tokenKey;
    }

    /** The HTTP port of a service, or of a replica started with {@link #startReplica}. */
    public int port(String service) {
        return switch (service) {
            case "config-service" -> options.ports().config();
            case "crypto-service" -> options.ports().crypto();
            case "sweeper-service" -> options.ports().sweeper();
            case "lockdown-service" -> options.ports().lockdown();
            default -> services.get(service).port();
        };
    }

    /** The management port (health, metrics) of a service, or of a replica started with {@link #startReplica}. */
    public int managementPort(String service) {
        return switch (service) {
            case "config-service" -> options.ports().configManagement();
            case "crypto-service" -> options.ports().cryptoManagement();
            case "sweeper-service" -> options.ports().sweeperManagement();
            case "lockdown-service" -> options.ports().lockdownManagement();
            default -> services.get(service).managementPort();
        };
    }

    /**
     * Starts another process of a service (as Kubernetes runs a second pod): the same configuration,
     * its own HTTP port, named {@code replica} in its log file and in {@link #kill} and {@link #restart}.
     */
    public void startReplica(String service, String replica, int port) throws Exception {
        Map<String, String> properties = new HashMap<>(serviceProperties.get(service));
        serviceProperties.put(replica, properties);
        ServiceProcess process = ServiceProcess.start(
                options.repositoryRoot(),
                service,
                replica,
                port,
                EmbeddedKafkaBroker.freePort(),
                properties,
                options.dataDir().toAbsolutePath().resolve("logs"));
        services.put(replica, process);
        process.awaitReady(Duration.ofMinutes(3));
    }

    /** Stops a replica started with {@link #startReplica} (gracefully) and forgets it. */
    public void stopReplica(String replica) {
        services.remove(replica).stop();
    }

    public ServiceProcess service(String name) {
        return services.get(name);
    }

    /** A crash: kills the service at once (SIGKILL, nothing flushed or closed). */
    public void kill(String name) throws InterruptedException {
        services.get(name).kill();
    }

    /** Starts a (killed or stopped) service again with the same configuration and waits until it is ready. */
    public void restart(String name) throws Exception {
        ServiceProcess old = services.get(name);
        old.stop();
        ServiceProcess service = ServiceProcess.start(
                options.repositoryRoot(),
                old.module(),
                name,
                old.port(),
                old.managementPort(),
                serviceProperties.get(name),
                options.dataDir().toAbsolutePath().resolve("logs"));
        services.put(name, service);
        service.awaitReady(Duration.ofMinutes(3));
    }

    /** Stops the Kafka broker and starts it again on the same ports and data (clients reconnect). */
    public void restartKafka() {
        broker.close();
        startKafka();
    }

    /** Stops PostgreSQL and starts it again on the same port and data (connection pools reconnect). */
    public void restartPostgres() throws IOException {
        postgres.restart();
    }

    /** A JDBC URL of the data plane's database (tests inspect and tamper with stored rows). */
    public String dataJdbcUrl() {
        return postgres.url("jdbc:postgresql", "byok_data");
    }

    private void startKafka() {
        broker = EmbeddedKafkaBroker.start(
                options.dataDir().toAbsolutePath().resolve("kafka"),
                options.ports().kafka(),
                options.ports().kafkaController());
    }

    public StackOptions options() {
        return options;
    }

    /** Stops the services, then the emulator, PostgreSQL and Kafka; leaves no process behind. */
    @Override
    public void close() {
        List<ServiceProcess> running = new ArrayList<>(services.values());
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).stop();
        }
        quietly(emulator);
        quietly(postgres);
        quietly(broker);
        emulator = null;
        postgres = null;
        broker = null;
    }

    private static void quietly(AutoCloseable part) {
        if (part == null) {
            return;
        }
        try {
            part.close();
        } catch (Exception e) {
            System.err.println("while stopping: " + e.getMessage());
        }
    }
}
