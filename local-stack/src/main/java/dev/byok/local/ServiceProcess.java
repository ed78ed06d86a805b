package dev.byok.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One process of a service (a replica), running from its module's packaged jar as a separate JVM, its output in a log
 * file: its API on one port, health and metrics on its management port (as in production).
 */
public final class ServiceProcess {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String module;
    private final String name;
    private final int port;
    private final int managementPort;
    private final Path log;
    private final Process process;

    private ServiceProcess(String module, String name, int port, int managementPort, Path log, Process process) {
        this.module = module;
        this.name = name;
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
        this.process = process;
    }

    /** Properties that hold a secret: passed as environment variables, the rest as system properties. */
    static final Set<String> SECRETS = Set.of(
            "kafka.sasl.jaas.config",
            "byok.keyvault.credential.secret",
            "quarkus.datasource.password",
            "byok.crypto.managed-keyring");

    /** Starts {@code <root>/<name>/target/quarkus-app/quarkus-run.jar} with these properties. */
    static ServiceProcess start(
            Path root, String name, int port, int managementPort, Map<String, String> properties, Path logDir)
            throws IOException {
        return start(root, name, name, port, managementPort, properties, logDir);
    }

    /** Starts a process of {@code module}'s jar named {@code name} (its log is {@code <name>.log}): one replica of several. */
    static ServiceProcess start(
            Path root,
            String module,
            String name,
            int port,
            int managementPort,
            Map<String, String> properties,
            Path logDir)
            throws IOException {
        return start(root, root, module, name, port, managementPort, properties, logDir);
    }

    /**
     * Starts {@code module}'s packaged jar in its module directory with the {@code dev} profile, as
     * {@code mvn quarkus:dev} runs it: its settings are the {@link DevConfig} file there.
     */
    static ServiceProcess startWithDevProfile(Path root, String module, int port, int managementPort, Path logDir)
            throws IOException {
        return start(
                root,
                root.resolve(module),
                module,
                module,
                port,
                managementPort,
                Map.of("quarkus.profile", "dev"),
                logDir);
    }

    private static ServiceProcess start(
            Path root,
            Path workingDirectory,
            String module,
            String name,
            int port,
            int managementPort,
            Map<String, String> properties,
            Path logDir)
            throws IOException {
        Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    jar + " does not exist: build the services first (mvn -q -B install -DskipTests)");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.port=" + managementPort));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        properties.forEach((k, v) -> {
            if (SECRETS.contains(k)) {
                builder.environment()
                        .put(environmentName(k), v); // never on a command line (ps shows those to everyone)
            } else {
                command.add("-D" + k + "=" + v);
            }
        });
        command.addAll(List.of("-jar", jar.toString()));
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        Process process = builder.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new ServiceProcess(module, name, port, managementPort, log, process);
    }

    /**
     * The environment variable MicroProfile Config reads as {@code property}:
     * {@code kafka.sasl.jaas.config} is {@code KAFKA_SASL_JAAS_CONFIG}.
     */
    static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    public String name() {
        return name;
    }

    /** The service this process is a replica of (its module). */
    public String module() {
        return module;
    }

    public int port() {
        return port;
    }

    /** Where its health checks and metrics answer ({@code /q/health}, {@code /q/metrics}). */
    public int managementPort() {
        return managementPort;
    }

    /** Waits until {@code /q/health/ready} answers 200 on the management port; fails at once, with the log's tail, if the process exits. */
    void awaitReady(Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with status " + process.exitValue() + "; last lines of "
                        + log + ":\n" + tail());
            }
            if (ready()) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(500); // polling a child process's HTTP endpoint (not test synchronisation)
        }
        throw new IllegalStateException(
                name + " was not ready within " + atMost.toSeconds() + " s; see " + log + ":\n" + tail());
    }

    boolean ready() {
        try {
            HttpResponse<Void> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort + "/q/health/ready"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** SIGTERM (Quarkus shuts down gracefully), then SIGKILL after 20 s; never leaves the process behind. */
    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** SIGKILL at once: a crash, for fault tests. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }
}
