package dev.byok.containers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byok.infra.DevTokens;
import dev.byok.local.DemoScenario;
import dev.byok.local.KafkaClientFile;
import java.net.URI;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's docker-compose.yml, run for real: the images as built, the stack healthy, and the demo scenario
 * through the public interfaces only (a producer on the host through Kafka's external listener, the admin and
 * read APIs, the emulator's admin API) with exact event counts.
 */
@Order(1)
@ExtendWith(ComposeStackExtension.class)
class ComposeStackIT {
    private static ComposeStack stack;

    @BeforeAll
    static void stack(ComposeStack running) {
        stack = running;
    }

    @Test
    void everyImage_carriesItsLabels_andRunsAsItsOwnUser_onAReadOnlyRoot() {
        for (String service : ComposeStack.SERVICES) {
            String image = "byok/" + service + ":" + ComposeStack.VERSION;
            String facts = stack.podman.ok(
                    Duration.ofSeconds(30),
                    "podman",
                    "image",
                    "inspect",
                    "--format",
                    "{{.Config.User}} {{index .Labels \"org.opencontainers.image.title\"}}"
                            + " {{index .Labels \"org.opencontainers.image.version\"}}",
                    image);
            assertThat(facts.trim()).as(image).isEqualTo("185:185 " + service + " " + ComposeStack.VERSION);
            String container = stack.container(service);
            assertThat(stack.podman
                            .ok(Duration.ofSeconds(30), "podman", "exec", container, "id", "-u")
                            .trim())
                    .as(container + " runs as")
                    .isEqualTo("185");
            assertThat(stack.podman
                            .run(Duration.ofSeconds(30), "podman", "exec", container, "touch", "/deployments/x")
                            .output())
                    .as(container + " root filesystem")
                    .contains("Read-only file system");
        }
        // the emulator writes its state (certificate, token key, keys) into its named volume, owned by its user
        String emulator = stack.container("keyvault-emulator");
        assertThat(stack.podman
                        .ok(Duration.ofSeconds(30), "podman", "exec", emulator, "stat", "-c", "%u", "/state")
                        .trim())
                .isEqualTo("185");
        assertThat(stack.podman.ok(Duration.ofSeconds(30), "podman", "exec", emulator, "ls", "/state"))
                .contains("emulator-ca.pem");
        SuiteLog.line("images: labelled, uid 185, read-only root; the emulator's /state is its own");
    }

    @Test
    void productionSettings_jsonLogs_noSwaggerUi_healthAndMetricsOnlyOnTheManagementPort() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, Integer> apiPorts = Map.of(
                "config-service", 8081, "crypto-service", 8082, "sweeper-service", 8083, "lockdown-service", 8084);
        for (String service : ComposeStack.SERVICES) {
            String container = stack.container(service);
            List<String> lines =
                    Commands.lines(stack.podman.ok(Duration.ofSeconds(30), "podman", "logs", container)).stream()
                            .filter(l -> !l.startsWith("Picked up JAVA_TOOL_OPTIONS")) // the JVM's own banner
                            .toList();
            assertThat(lines)
                    .as(container + " log")
                    .isNotEmpty()
                    .allSatisfy(line -> assertThat(json.readTree(line).has("level"))
                            .as("a JSON log line: " + line)
                            .isTrue());
            String api = "http://localhost:" + apiPorts.get(service);
            assertThat(curlStatus(container, api + "/q/metrics"))
                    .as(container + " API port")
                    .isEqualTo("404");
            assertThat(curlStatus(container, api + "/q/health/ready"))
                    .as(container + " API port")
                    .isEqualTo("404");
            assertThat(curlStatus(container, "http://localhost:9000/q/metrics"))
                    .as(container)
                    .isEqualTo("200");
        }
        for (String port : List.of("8081", "9000")) { // the API port, and the management port where Quarkus serves it
            assertThat(curlStatus(stack.container("config-service"), "http://localhost:" + port + "/q/swagger-ui/"))
                    .as("Swagger UI in production, port " + port)
                    .isEqualTo("404");
        }
        assertThat(curlStatus(stack.container("config-service"), "http://localhost:9000/q/openapi"))
                .as("the API's description, on the management port")
                .isEqualTo("200");
        SuiteLog.line("production settings: JSON logs, no Swagger UI, health and metrics on port 9000 only");
    }

    private static String curlStatus(String container, String url) {
        return stack.podman
                .ok(
                        Duration.ofSeconds(30),
                        "podman",
                        "exec",
                        container,
                        "curl",
                        "-s",
                        "-o",
                        "/dev/null",
                        "-w",
                        "%{http_code}",
                        url)
                .trim();
    }

    @Test
    void theDemoScenario_runsThroughTheComposeStack_withExactCounts() throws Exception {
        PrivateKey tokenKey = DevTokens.ensureKeys(stack.data.resolve("dev-jwt")); // made by the dev-jwt service
        DemoScenario.Endpoints endpoints = new DemoScenario.Endpoints(
                "http://localhost:8081",
                "http://localhost:8082",
                // the host's producer file: localhost:19092, the external listener (SASL_SSL, user producer)
                KafkaClientFile.read(stack.data.resolve("kafka/host/producer.properties")),
                URI.create("http://localhost:8480"),
                "byok-demo",
                "byok-key",
                "https://byok-demo.vault.localhost:8443/keys/byok-key",
                tenant -> DevTokens.mint(tokenKey, tenant, Duration.ofMinutes(30)));
        List<String> timeline = new ArrayList<>();
        new DemoScenario(endpoints, line -> {
                    timeline.add(line);
                    SuiteLog.line("demo %s", line);
                })
                .run("contoso-ct", "fabrikam-ct");

        assertThat(timeline)
                .anyMatch(l -> l.contains("LOCKED"))
                .anyMatch(l -> l.contains("unlocked (HEALTHY)"))
                .anyMatch(l -> l.contains("contoso-ct: every one of the 40 events produced is stored exactly once"))
                .anyMatch(l -> l.contains("fabrikam-ct: every one of the 20 events produced is stored exactly once"));
    }
}
