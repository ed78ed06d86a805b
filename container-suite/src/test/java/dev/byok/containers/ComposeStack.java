package dev.byok.containers;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The README's own docker-compose.yml, with the demo's timers (deploy/compose/demo-timers.yml), run by Debian's
 * docker-compose on podman: built, started and awaited healthy once for the whole suite, and removed with its
 * volumes at the end. Its generated secrets go to target/compose-data (BYOK_COMPOSE_DATA), never into the
 * working tree.
 */
final class ComposeStack implements ExtensionContext.Store.CloseableResource {
    static final String PROJECT = "byok-containers-test";
    static final String VERSION = "0.1.0";
    static final List<String> SERVICES =
            List.of("config-service", "crypto-service", "sweeper-service", "lockdown-service");
    /** Long-running containers that must become healthy, and one-shot ones that must exit 0. */
    static final List<String> HEALTHY = List.of(
            "kafka",
            "postgres",
            "keyvault-emulator",
            "config-service",
            "crypto-service",
            "sweeper-service",
            "lockdown-service");

    static final List<String> ONE_SHOT = List.of("kafka-secrets", "kafka-init", "dev-jwt");
    private static final Pattern EXITED = Pattern.compile("Exited \\((\\d+)\\)");

    final Path data = Path.of("target/compose-data").toAbsolutePath();
    /** The compose project's network and the emulator's volume (its certificate), which pods join and mount. */
    static final String NETWORK = PROJECT + "_default";

    static final String EMULATOR_VOLUME = PROJECT + "_keyvault-state";
    private final PodmanApiService api;
    /** The managed keyring the compose services run with (pods of the same services need the same). */
    final String managedKeyring;

    private final HealthChecks healthChecks;
    final Commands podman;
    private final Commands compose;

    private ComposeStack(PodmanApiService api, Commands podman, Commands compose, String managedKeyring)
            throws IOException {
        this.managedKeyring = managedKeyring;
        this.api = api;
        this.podman = podman;
        this.compose = compose;
        this.healthChecks = new HealthChecks(
                PROJECT, Path.of("target/podman/healthchecks.log").toAbsolutePath());
    }

    static ComposeStack start() throws Exception {
        Commands podman = new Commands(Map.of());
        Tools.require(podman);
        long t0 = System.nanoTime();
        podman.ok(Duration.ofMinutes(15), "deploy/containers/stand-ins/build.sh");
        podman.ok(Duration.ofMinutes(15), "deploy/containers/build-images.sh", VERSION);
        SuiteLog.line(
                "images built in %s: %s",
                SuiteLog.seconds(Duration.ofNanos(System.nanoTime() - t0)),
                String.join(
                        ", ",
                        Commands.lines(podman.ok(
                                Duration.ofSeconds(30),
                                "podman",
                                "images",
                                "--filter",
                                "reference=byok/*",
                                "--filter",
                                "reference=apache/kafka",
                                "--filter",
                                "reference=library/postgres",
                                "--format",
                                "{{.Repository}}:{{.Tag}} ({{.Size}})"))));

        PodmanApiService api = PodmanApiService.start(Path.of("target/podman").toAbsolutePath());
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DOCKER_HOST", api.dockerHost());
        env.put(
                "BYOK_COMPOSE_DATA",
                Path.of("target/compose-data").toAbsolutePath().toString());
        byte[] keyring = new byte[32];
        new SecureRandom().nextBytes(keyring);
        env.put("BYOK_CRYPTO_MANAGED_KEYRING", "1:" + Base64.getEncoder().encodeToString(keyring));
        ComposeStack stack = new ComposeStack(api, podman, new Commands(env), env.get("BYOK_CRYPTO_MANAGED_KEYRING"));
        try {
            stack.up();
        } catch (RuntimeException | Error e) {
            stack.logContainers();
            stack.close();
            throw e;
        }
        return stack;
    }

    private void up() {
        long t0 = System.nanoTime();
        compose(Duration.ofMinutes(15), "up", "-d");
        await("every compose service healthy, every one-shot service done")
                .atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofSeconds(2))
                .failFast("a container failed; see " + SuiteLog.COMMANDS, this::anyFailed)
                .until(this::allUp);
        SuiteLog.line("compose stack up in %s:", SuiteLog.seconds(Duration.ofNanos(System.nanoTime() - t0)));
        states().forEach((service, status) -> SuiteLog.line("  %-18s %s", service, status));
    }

    /** Runs docker-compose on the project with the README's file and the demo timers. */
    String compose(Duration timeout, String... args) {
        String[] command = new String[args.length + 7];
        System.arraycopy(
                new String[] {
                    "docker-compose", "-p", PROJECT, "-f", "docker-compose.yml", "-f", "deploy/compose/demo-timers.yml"
                },
                0,
                command,
                0,
                7);
        System.arraycopy(args, 0, command, 7, args.length);
        return compose.ok(timeout, command);
    }

    /** Each compose service's container status, as podman reports it ("Up 2 minutes (healthy)", "Exited (0) ..."). */
    Map<String, String> states() {
        Map<String, String> states = new LinkedHashMap<>();
        String out = podman.ok(
                Duration.ofSeconds(30),
                "podman",
                "ps",
                "-a",
                "--filter",
                "label=com.docker.compose.project=" + PROJECT,
                "--format",
                "{{index .Labels \"com.docker.compose.service\"}}\t{{.Status}}");
        for (String line : Commands.lines(out)) {
            String[] parts = line.split("\t", 2);
            states.put(parts[0], parts.length > 1 ? parts[1] : "");
        }
        return states;
    }

    /** The status and the end of the log of every container, into the commands' log (when something failed). */
    void logContainers() {
        states().forEach((service, status) -> {
            SuiteLog.line("  %-18s %s (its log: %s)", service, status, SuiteLog.COMMANDS);
            podman.run(Duration.ofSeconds(30), "podman", "logs", "--tail", "80", container(service));
        });
    }

    /** The container of a compose service, for podman exec and inspect. */
    String container(String service) {
        return PROJECT + "_" + service + "_1";
    }

    private boolean allUp() {
        Map<String, String> states = states();
        return HEALTHY.stream().allMatch(s -> states.getOrDefault(s, "").contains("(healthy)"))
                && ONE_SHOT.stream().allMatch(s -> exitCode(states.getOrDefault(s, "")) == 0);
    }

    private boolean anyFailed() {
        Map<String, String> states = states();
        return states.values().stream().anyMatch(status -> exitCode(status) > 0)
                || HEALTHY.stream().anyMatch(s -> exitCode(states.getOrDefault(s, "")) >= 0);
    }

    private static int exitCode(String status) {
        Matcher m = EXITED.matcher(status);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    @Override
    public void close() throws Exception {
        try {
            SuiteLog.line("stopping the compose stack (down -v)");
            compose(Duration.ofMinutes(5), "down", "-v");
        } finally {
            healthChecks.close();
            api.close();
        }
    }
}
