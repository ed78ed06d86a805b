package dev.byok.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byok.emulator.Directories;
import dev.byok.emulator.EmulatorAdminClient;
import dev.byok.infra.KeyRequests;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The BYOK story, told through public interfaces only (Kafka, the admin and read APIs, the Key Vault
 * emulator's admin API), each step awaited and checked: it throws at the first step that does not
 * happen. The demo command prints it as a timeline; the end-to-end test runs the same scenario.
 */
public final class DemoScenario {
    /** Where the running stack answers, and how to get an admin token for a tenant. */
    public record Endpoints(
            String configUrl,
            String cryptoUrl,
            Map<String, Object> producerKafka,
            URI emulatorAdmin,
            String vault,
            String key,
            String keyUri,
            Function<String, String> adminToken) {
        /** A local stack's endpoints on these options' ports (the end-to-end test). */
        public static Endpoints of(StackOptions o, Function<String, String> adminToken) {
            return of(o, KafkaClientFile.producerFile(o.dataDir().toAbsolutePath()), adminToken);
        }

        /** The endpoints on these options' ports, producing with this client file (the demo command, the compose stack's too). */
        public static Endpoints of(StackOptions o, Path producerFile, Function<String, String> adminToken) {
            return new Endpoints(
                    "http://localhost:" + o.ports().config(),
                    "http://localhost:" + o.ports().crypto(),
                    KafkaClientFile.read(producerFile),
                    URI.create("http://localhost:" + o.ports().emulatorAdmin()),
                    RunningStack.VAULT,
                    RunningStack.KEY,
                    RunningStack.sampleKeyUri(o.ports().vault()),
                    adminToken);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STEP = Duration.ofMinutes(3);

    private final Endpoints e;
    private final Consumer<String> timeline;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, List<String>> produced = new HashMap<>();
    private final long start = System.nanoTime();

    public DemoScenario(Endpoints endpoints, Consumer<String> timeline) {
        this.e = endpoints;
        this.timeline = timeline;
    }

    /** Runs the whole story for two tenants; {@code byok} brings its own key, {@code other} stays on managed keys. */
    public void run(String byok, String other) throws Exception {
        EmulatorAdminClient vault = new EmulatorAdminClient(e.emulatorAdmin());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                withAcksAll(e.producerKafka()), new StringSerializer(), new ByteArraySerializer())) {
            say("producing 20 events for %s and 20 for %s", byok, other);
            produce(producer, byok, 20);
            produce(producer, other, 20);
            until(
                    "both tenants' events readable",
                    () -> events(byok).size() == 20 && events(other).size() == 20);

            say(
                    "%s registers the service's BYOK application %s in its directory %s (Entra: New-MgServicePrincipal)",
                    byok, Directories.DEFAULT_CLIENT_ID, Directories.DEFAULT_DIRECTORY);
            vault.registerApplication(Directories.DEFAULT_DIRECTORY, Directories.DEFAULT_CLIENT_ID);
            say("enabling BYOK for %s with %s", byok, e.keyUri());
            expect(200, send("PUT", encryption(byok), byok, KeyRequests.json(e.keyUri())));
            until("mode ENABLED", () -> status(byok).path("mode").asText().equals("ENABLED"));
            String first = status(byok).path("keyVersionId").asText();
            until("every DEK under the customer key " + version(first), () -> allUnderCustomerKey(byok, first));

            produce(producer, byok, 10);
            String second = version(vault.rotate(e.vault(), e.key()));
            say("new key version %s created in Key Vault", second);
            until(
                    "the roll detected",
                    () -> status(byok).path("keyVersionId").asText().endsWith("/" + second));
            until(
                    "every DEK re-wrapped; old version reported unused",
                    () -> allUnderCustomerKey(
                                    byok, status(byok).path("keyVersionId").asText())
                            && version(status(byok)
                                            .path("protection")
                                            .path("retiredKeyVersionId")
                                            .asText("/"))
                                    .equals(version(first)));
            say("version %s is no longer used: safe to disable", version(first));

            vault.updateVersion(e.vault(), e.key(), second, Map.of("enabled", false));
            say("key version %s disabled in Key Vault", second);
            until("DEGRADED", () -> lock(byok).path("status").asText().equals("DEGRADED"));
            Instant deadline = Instant.parse(lock(byok).path("lockDeadline").asText());
            say(
                    "DEGRADED: locks in %d s unless the key comes back",
                    Duration.between(Instant.now(), deadline).toSeconds());
            until("LOCKED", () -> lock(byok).path("status").asText().equals("LOCKED"));
            say("LOCKED: %s", lock(byok).path("reason").asText());
            expect(423, send("GET", events(byok, null), byok, null));
            say("reads refused (423) while ingest continues");
            produce(producer, byok, 10);

            vault.updateVersion(e.vault(), e.key(), second, Map.of("enabled", true));
            say("key version %s re-enabled", second);
            until("unlocked (HEALTHY)", () -> lock(byok).path("status").asText().equals("HEALTHY"));
            until(
                    "pending data protected",
                    () -> allUnderCustomerKey(
                                    byok, status(byok).path("keyVersionId").asText())
                            && events(byok).size() == 40);

            say("disabling BYOK for %s", byok);
            expect(200, send("DELETE", encryption(byok), byok, null));
            until("customer layer removed from every DEK", () -> {
                JsonNode p = status(byok).path("protection");
                return p.path("targetKeyVersionId").isNull()
                        && p.path("deks").asLong() > 0
                        && p.path("deks").asLong() == p.path("deksOnTarget").asLong();
            });
            until("data still readable", () -> events(byok).size() == 40);

            for (String tenant : List.of(byok, other)) {
                List<String> stored = events(tenant);
                if (stored.size() != produced.get(tenant).size()
                        || !new LinkedHashSet<>(stored).equals(new LinkedHashSet<>(produced.get(tenant)))) {
                    throw new IllegalStateException(tenant + ": produced "
                            + produced.get(tenant).size() + " events, read back " + stored.size());
                }
                say("%s: every one of the %d events produced is stored exactly once", tenant, stored.size());
            }
        }
    }

    private void produce(KafkaProducer<String, byte[]> producer, String tenant, int n) throws Exception {
        List<String> ids = produced.computeIfAbsent(tenant, t -> new ArrayList<>());
        for (int i = 0; i < n; i++) {
            String id = String.format("%s-%04d", tenant, ids.size());
            producer.send(SampleEvents.event(tenant, id, ids.size())).get(30, TimeUnit.SECONDS);
            ids.add(id);
        }
        say("produced %d events for %s (%d in all)", n, tenant, ids.size());
    }

    /** Every DEK of the tenant under this customer key version, and none readable without it. */
    private boolean allUnderCustomerKey(String tenant, String version) throws Exception {
        JsonNode p = status(tenant).path("protection");
        return p.path("targetKeyVersionId").asText().equals(version)
                && p.path("deks").asLong() > 0
                && p.path("deks").asLong() == p.path("deksOnTarget").asLong()
                && p.path("oldestUnprotectedAt").isNull();
    }

    private JsonNode status(String tenant) throws Exception {
        return JSON.readTree(
                expect(200, send("GET", encryption(tenant), tenant, null)).body());
    }

    private JsonNode lock(String tenant) throws Exception {
        return status(tenant).path("lock");
    }

    /** Every stored event id of the tenant, through the read API's pages. */
    private List<String> events(String tenant) throws Exception {
        List<String> ids = new ArrayList<>();
        String after = null;
        do {
            JsonNode page = JSON.readTree(expect(200, send("GET", events(tenant, after), tenant, null))
                    .body());
            page.path("events").forEach(ev -> ids.add(ev.path("eventId").asText()));
            if (page.path("corrupted").size() > 0) {
                throw new IllegalStateException(tenant + ": corrupted records " + page.path("corrupted"));
            }
            after = page.path("next").isNull() || page.path("next").isMissingNode()
                    ? null
                    : page.path("next").asText();
        } while (after != null);
        return ids;
    }

    private String encryption(String tenant) {
        return e.configUrl() + "/api/v1/tenants/" + tenant + "/encryption";
    }

    private String events(String tenant, String after) {
        return e.cryptoUrl() + "/api/v1/tenants/" + tenant + "/events?limit=1000"
                + (after == null ? "" : "&after=" + after);
    }

    private HttpResponse<String> send(String method, String url, String tenant, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + e.adminToken().apply(tenant))
                .header("Content-Type", "application/json");
        request.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> expect(int status, HttpResponse<String> response) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(
                    response.request().method() + " " + response.request().uri() + " answered " + response.statusCode()
                            + " (expected " + status + "): " + response.body());
        }
        return response;
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    /** Polls {@code check} every half second (a demo watching a live system) until it holds, or fails after three minutes. */
    private void until(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + STEP.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not within " + STEP.toMinutes() + " min: " + what);
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        say("%s", what);
    }

    private void say(String format, Object... args) {
        timeline.accept(String.format("[+%6.1f s] ", (System.nanoTime() - start) / 1e9) + String.format(format, args));
    }

    private static String version(String keyVersionId) {
        return keyVersionId.substring(keyVersionId.lastIndexOf('/') + 1);
    }

    private static Map<String, Object> withAcksAll(Map<String, Object> client) {
        Map<String, Object> props = new HashMap<>(client);
        props.put("acks", "all");
        return props;
    }
}
