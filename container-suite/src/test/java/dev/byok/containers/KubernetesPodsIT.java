package dev.byok.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.byok.infra.DevTokens;
import dev.byok.model.TokenClaims;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every Deployment of the production overlay, run as a container with exactly its rendered settings (image, env,
 * securityContext, volumes, limits, ports) against the compose infrastructure, which plays the cluster: it must
 * pass its own startup, readiness and liveness probes and serve one request of its API. The ConfigMap keeps every
 * rendered value except where this cluster differs (addresses of Kafka, PostgreSQL and the service's own vault,
 * the development token issuer, and the emulator's trust); the Secrets hold the compose stack's credentials.
 */
@Order(2)
@ExtendWith(ComposeStackExtension.class)
class KubernetesPodsIT {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String DIRECTORY = "b10c0000-0000-4000-8000-000000000001";
    private static final String BYOK_APP = "b10c0000-0000-4000-8000-0000000000a1";
    private static ComposeStack stack;
    private static final List<RenderedPod> started = new ArrayList<>();

    @BeforeAll
    static void stack(ComposeStack running) {
        stack = running;
    }

    @AfterAll
    static void removePods() {
        for (RenderedPod pod : started) {
            stack.podman.run(Duration.ofMinutes(1), "podman", "rm", "-f", "-t", "10", "pod-" + pod.name);
        }
    }

    @Test
    void everyDeploymentOfTheProdOverlay_runsAsRendered_passesItsProbes_andServesItsApi() throws Exception {
        ProdOverlay prod = ProdOverlay.render();
        Cluster cluster = cluster(prod);
        List<JsonNode> deployments = prod.ofKind("Deployment");
        assertThat(deployments).hasSize(ComposeStack.SERVICES.size());
        Map<RenderedPod, Long> startedAt = new LinkedHashMap<>();
        for (JsonNode deployment : deployments) {
            RenderedPod pod = new RenderedPod(deployment);
            // the cluster's registry: the image the overlay pins is the one the suite built
            stack.podman.ok(
                    Duration.ofSeconds(30),
                    "podman",
                    "tag",
                    "byok/" + pod.name + ":" + ComposeStack.VERSION,
                    pod.container.path("image").asText());
            List<String> args = pod.runArguments(
                    cluster,
                    freePorts(pod.container),
                    Path.of("target/pods").toAbsolutePath().resolve(pod.name));
            stack.podman.ok(Duration.ofMinutes(1), args.toArray(String[]::new));
            started.add(pod);
            startedAt.put(pod, System.nanoTime());
        }
        PrivateKey tokenKey = DevTokens.ensureKeys(stack.data.resolve("dev-jwt"));
        String token = DevTokens.mint(tokenKey, "contoso-pod", Duration.ofMinutes(10));
        for (Map.Entry<RenderedPod, Long> entry : startedAt.entrySet()) {
            RenderedPod pod = entry.getKey();
            for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                await(pod.name + " " + probe)
                        .atMost(Duration.ofMinutes(4))
                        .pollInterval(Duration.ofSeconds(1))
                        .failFast(pod.name + " exited; see " + SuiteLog.COMMANDS, () -> exited(pod))
                        .until(() -> probe(pod, pod.container.path(probe)) == 200);
            }
            long readyMs = (System.nanoTime() - entry.getValue()) / 1_000_000;
            String facts = stack.podman
                    .ok(
                            Duration.ofSeconds(30),
                            "podman",
                            "inspect",
                            "--format",
                            "{{.Config.User}} {{.HostConfig.ReadonlyRootfs}}",
                            "pod-" + pod.name)
                    .trim();
            assertThat(facts).as(pod.name + " user, read-only root").isEqualTo("185:185 true");
            String capabilities = stack.podman.ok(
                    Duration.ofSeconds(30), "podman", "exec", "pod-" + pod.name, "grep", "^CapEff:", "/proc/1/status");
            assertThat(capabilities).as(pod.name + " effective capabilities").contains("0000000000000000");
            int api = apiRequest(pod, token);
            assertThat(api).as(pod.name + " API").isEqualTo(200);
            SuiteLog.line(
                    "pod %s: started, ready and live in %.1f s (uid 185:185, read-only root, no capabilities),"
                            + " its API answered %d",
                    pod.name, readyMs / 1000.0, api);
        }
    }

    /** This cluster: the rendered ConfigMap with the compose infrastructure's addresses, and its credentials. */
    private static Cluster cluster(ProdOverlay prod) throws IOException {
        Map<String, String> config = new LinkedHashMap<>(prod.configMap("byok-config"));
        config.put("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092");
        config.put("BYOK_POSTGRES_HOST", "postgres");
        config.put("BYOK_CRYPTO_TENANT_KEY_VAULT", "https://byok-own.vault.localhost:8445");
        config.put("BYOK_JWT_ISSUER", TokenClaims.DEV_ISSUER);
        // the emulator: its certificate and host names trusted, its sign-in endpoint (a real vault needs none of this)
        config.put("BYOK_KEYVAULT_TRUSTED_CERTIFICATE_FILE", "/keyvault/emulator-ca.pem");
        config.put(
                "BYOK_KEYVAULT_ALLOWED_EMULATOR_HOSTS", "byok-demo.vault.localhost:8443,byok-own.vault.localhost:8445");
        config.put("BYOK_KEYVAULT_CREDENTIAL_AUTHORITY_HOST", "https://login.vault.localhost:8444");
        config.put("BYOK_DIRECTORY_EXCLUSIVE", "false");

        Path kafka = stack.data.resolve("kafka");
        Map<String, Map<String, String>> secrets = new HashMap<>();
        secrets.put("byok-database", Map.of("username", "byok", "password", "byok"));
        secrets.put("byok-managed-keyring", Map.of("keyring", stack.managedKeyring));
        secrets.put(
                "byok-jwt-issuer", Map.of("public.pem", Files.readString(stack.data.resolve("dev-jwt/public.pem"))));
        secrets.put("byok-kafka-cluster-ca-cert", Map.of("ca.crt", Files.readString(kafka.resolve("kafka-ca.pem"))));
        for (String service : ComposeStack.SERVICES) { // what Strimzi's User Operator puts in each KafkaUser's Secret
            String password =
                    Files.readString(kafka.resolve("passwords/" + service)).trim();
            secrets.put(
                    service,
                    Map.of(
                            "sasl.jaas.config",
                            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + service
                                    + "\" password=\"" + password + "\";"));
        }

        // Azure workload identity's webhook, for pods labelled azure.workload.identity/use: its environment and the
        // projected service-account token (exchanged only when the pod calls a vault, which no check here does)
        Path token = Files.createDirectories(
                Path.of("target/pods/azure-identity-token").toAbsolutePath());
        Files.writeString(token.resolve("azure-identity-token"), "service-account-token-of-the-test-cluster");
        Map<String, String> webhook = Map.of(
                "AZURE_CLIENT_ID",
                BYOK_APP,
                "AZURE_TENANT_ID",
                DIRECTORY,
                "AZURE_AUTHORITY_HOST",
                "https://login.vault.localhost:8444",
                "AZURE_FEDERATED_TOKEN_FILE",
                "/var/run/secrets/azure/tokens/azure-identity-token");
        return new Cluster(
                Map.of("byok-config", config),
                secrets,
                ComposeStack.NETWORK,
                webhook,
                List.of(token + ":/var/run/secrets/azure/tokens:ro", ComposeStack.EMULATOR_VOLUME + ":/keyvault:ro"));
    }

    private static Map<String, Integer> freePorts(JsonNode container) throws IOException {
        Map<String, Integer> ports = new HashMap<>();
        for (JsonNode port : container.path("ports")) {
            try (ServerSocket socket = new ServerSocket(0)) {
                ports.put(port.path("name").asText(), socket.getLocalPort());
            }
        }
        return ports;
    }

    private static boolean exited(RenderedPod pod) {
        return !stack.podman
                .ok(Duration.ofSeconds(30), "podman", "inspect", "--format", "{{.State.Status}}", "pod-" + pod.name)
                .trim()
                .equals("running");
    }

    /** The probe as the kubelet runs it: an HTTP GET of its path on its (named) port; any error is a failure. */
    private static int probe(RenderedPod pod, JsonNode probe) {
        JsonNode get = probe.path("httpGet");
        assertThat(get.isMissingNode()).as(pod.name + " probes over HTTP").isFalse();
        return status(
                pod.hostPorts.get(get.path("port").asText()), get.path("path").asText(), null);
    }

    /** One request of the service's API: its tenant API with a token, the lock states, or (the sweeper has none) its metrics. */
    private static int apiRequest(RenderedPod pod, String token) {
        int http = pod.hostPorts.getOrDefault("http", -1);
        return switch (pod.name) {
            case "config-service" -> status(http, "/api/v1/tenants/contoso-pod/encryption", token);
            case "crypto-service" -> status(http, "/api/v1/tenants/contoso-pod/events", token);
            case "lockdown-service" -> status(http, "/api/v1/lock-states", null);
            default -> status(pod.hostPorts.get("management"), "/q/metrics", null);
        };
    }

    private static int status(int port, String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
