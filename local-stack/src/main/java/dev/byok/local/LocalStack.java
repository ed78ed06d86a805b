package dev.byok.local;

import dev.byok.cli.Cli;
import dev.byok.emulator.Directories;
import dev.byok.emulator.KeyVaultEmulator;
import dev.byok.infra.KeyRequests;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The README's "run the system" command: starts the local stack, prints where everything is, stops it all on Ctrl-C. */
@Command(
        name = "run-local.sh",
        mixinStandardHelpOptions = true,
        description = "Runs Kafka, PostgreSQL, the Key Vault emulator and the four services; Ctrl-C stops everything.")
public final class LocalStack implements Callable<Integer> {
    @Mixin
    StackArguments arguments = new StackArguments();

    public static void main(String[] args) {
        Cli.run(new LocalStack(), args);
    }

    @Override
    public Integer call() throws Exception {
        StackOptions options = arguments.options(repositoryRoot());
        RunningStack stack;
        try {
            stack = RunningStack.start(options, line -> System.out.println("[byok] " + line));
        } catch (IllegalStateException e) {
            StringBuilder message = new StringBuilder(e.getMessage());
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                message.append("\n  caused by: ")
                        .append(cause.getClass().getSimpleName())
                        .append(": ")
                        .append(cause.getMessage());
            }
            System.err.println("[byok] could not start: " + message);
            return Cli.FAILED;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            System.out.println("[byok] stopping everything...");
                            stack.close();
                            stopped.countDown();
                        },
                        "byok-stop"));
        System.out.println(options.infraOnly() ? infraSummary(stack) : summary(stack));
        stopped.await();
        return 0;
    }

    /** What --infra-only started, and the dev loop's second terminal. */
    static String infraSummary(RunningStack stack) {
        StackOptions o = stack.options();
        return """

                Infrastructure is running for the Quarkus dev loop (data in %s). Ctrl-C stops it.
                  Kafka         %s  (SASL_SSL, SCRAM-SHA-512; each service's login is in its dev settings)
                  PostgreSQL    localhost:%d  (databases byok_config, byok_data; user byok)
                  Key Vault     %s  (emulator; admin API %s/admin/vaults)
                  dev settings  <service>/config/application.properties (%%dev. keys only; owner-only)

                  in another terminal, one service with live reload:
                    mvn quarkus:dev -pl config-service      (or crypto-service, sweeper-service, lockdown-service)
                  a token for tenant %s:
                %s
                """.formatted(
                        o.dataDir(),
                        stack.bootstrapServers(),
                        o.ports().postgres(),
                        stack.emulator().vaultUri(RunningStack.VAULT),
                        stack.emulator().adminUri(),
                        o.tenant(),
                        stack.adminToken(o.tenant(), Duration.ofHours(12)));
    }

    static String summary(RunningStack stack) {
        StackOptions o = stack.options();
        String tenant = o.tenant();
        return """

                BYOK is running (data in %s; --fresh starts over). Ctrl-C stops everything.
                  admin API     http://localhost:%d/api/v1/tenants/%s/encryption
                  Swagger UI    http://localhost:%d/q/swagger-ui
                  read API      http://localhost:%d/api/v1/tenants/%s/events
                  dashboard     http://localhost:%d/dashboard/
                  metrics       http://localhost:{%d,%d,%d,%d}/q/metrics  (health: /q/health; the management ports)
                  Kafka         %s  (SASL_SSL, SCRAM-SHA-512; publish activity events to byok.activity.ingest, key = tenant id)
                  producer      user producer, client config with its password: %s
                  Key Vault     %s  (emulator; admin API %s/admin/vaults;
                                REST bearer tokens, emulator only: service %s, admin %s)
                  sample key    %s  (vault directory %s)
                  BYOK app      %s; the customer registers it in their directory (Entra: New-MgServicePrincipal -AppId ...),
                                here: curl -X PUT %s/admin/directories/%s/service-principals/%s
                  dev token     tenant %s, valid 12 h:
                %s

                  try: curl -H "Authorization: Bearer $TOKEN" http://localhost:%d/api/v1/tenants/%s/encryption
                  enable BYOK: curl -X PUT -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
                    -d '%s' http://localhost:%d/api/v1/tenants/%s/encryption
                """.formatted(
                        o.dataDir(),
                        o.ports().config(),
                        tenant,
                        o.ports().configManagement(), // Swagger UI and OpenAPI: on the management port
                        o.ports().crypto(),
                        tenant,
                        o.ports().lockdown(),
                        o.ports().configManagement(),
                        o.ports().cryptoManagement(),
                        o.ports().sweeperManagement(),
                        o.ports().lockdownManagement(),
                        stack.bootstrapServers(),
                        KafkaClientFile.producerFile(o.dataDir().toAbsolutePath()),
                        stack.emulator().vaultUri(RunningStack.VAULT),
                        stack.emulator().adminUri(),
                        KeyVaultEmulator.DEFAULT_SERVICE_TOKEN,
                        KeyVaultEmulator.DEFAULT_ADMIN_TOKEN,
                        stack.sampleKeyUri(),
                        Directories.DEFAULT_DIRECTORY,
                        Directories.DEFAULT_CLIENT_ID,
                        stack.emulator().adminUri(),
                        Directories.DEFAULT_DIRECTORY,
                        Directories.DEFAULT_CLIENT_ID,
                        tenant,
                        stack.adminToken(tenant, Duration.ofHours(12)),
                        o.ports().config(),
                        tenant,
                        KeyRequests.json(stack.sampleKeyUri()),
                        o.ports().config(),
                        tenant);
    }

    /** The repository root: {@code -Dbyok.root}, else the working directory or its parent (Maven runs modules in their own directory). */
    static Path repositoryRoot() {
        String configured = System.getProperty("byok.root");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath();
        }
        Path dir = Path.of("").toAbsolutePath();
        return dir.resolve("config-service").toFile().isDirectory() ? dir : dir.getParent();
    }
}
