package dev.byok.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byok.emulator.EmulatorAdminClient;
import dev.byok.infra.EmbeddedKafkaBroker;
import dev.byok.infra.KeyRequests;
import dev.byok.local.RunningStack;
import dev.byok.local.SampleEvents;
import dev.byok.local.StackOptions;
import dev.byok.local.StackPorts;
import dev.byok.model.KafkaAccess;
import dev.byok.testsupport.LockStateRecorder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The one stack every class of the suite runs against: started for the first class, closed after the
 * last (JUnit's root store), when the results table is written to target/reliability.md. Classes get it
 * as a constructor parameter ({@code @ExtendWith(Suite.Resolver.class)}). The stack runs with a short
 * lock grace, small DEKs (a new one every {@value #DEK_MAX_RECORDS} records, so rotation happens under
 * every fault) and a slow sweeper with short leases (so a re-wrap can be interrupted).
 */
final class Suite implements AutoCloseable {
    static final Duration LONG = Duration.ofMinutes(10);
    static final Duration LOCK_GRACE = Duration.ofSeconds(10);
    static final int DEK_MAX_RECORDS = 100;
    static final int SWEEPER_OPS_PER_10S = 40;
    private static final ObjectMapper JSON = new ObjectMapper();

    final RunningStack stack;
    final Results results = new Results();
    final LockStateRecorder lockStates;
    final String run = UUID.randomUUID().toString().substring(0, 6);
    private final Set<String> tokensIssued = ConcurrentHashMap.newKeySet();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Suite() throws Exception {
        Path data = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "stack-");
        StackOptions options = StackOptions.defaults(repository())
                .withDataDir(data)
                .withDemoTimers(true)
                .withLockGrace(LOCK_GRACE)
                .withPorts(StackPorts.free());
        Map<String, String> smallDeks = Map.of("byok.crypto.dek-max-records", String.valueOf(DEK_MAX_RECORDS));
        stack = RunningStack.start(
                options,
                Map.of(
                        "crypto-service",
                        smallDeks,
                        "sweeper-service",
                        Map.of(
                                "byok.crypto.dek-max-records",
                                String.valueOf(DEK_MAX_RECORDS),
                                "byok.keyvault.budget.ops-per-10s",
                                String.valueOf(SWEEPER_OPS_PER_10S),
                                "byok.sweeper.lease",
                                "PT10S")),
                line -> {});
        lockStates = new LockStateRecorder(stack.kafkaClient(EmbeddedKafkaBroker.ADMIN));
    }

    @Override
    public void close() throws Exception {
        lockStates.close();
        stack.close();
        results.write(Path.of("target", "reliability.md")); // docs/reliability.md is refreshed from it by hand (README)
    }

    /** Gives each test class the suite (a constructor parameter), starting it on first use. */
    static final class Resolver implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == Suite.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot()
                    .getStore(ExtensionContext.Namespace.GLOBAL)
                    .computeIfAbsent(
                            Suite.class,
                            k -> {
                                try {
                                    return new Suite();
                                } catch (Exception e) {
                                    throw new IllegalStateException("the stack did not start", e);
                                }
                            },
                            Suite.class);
        }
    }

    /** Every token the suite minted (the secrets scan looks for them in the logs). */
    Set<String> tokensIssued() {
        return Set.copyOf(tokensIssued);
    }

    String token(String tenant) {
        String token = stack.adminToken(tenant, Duration.ofMinutes(30));
        tokensIssued.add(token);
        return token;
    }

    EmulatorAdminClient vaultAdmin() {
        return new EmulatorAdminClient(stack.emulator().adminUri());
    }

    /** Sends events {@code <tenant>-0} .. {@code <tenant>-(n-1)} in the background. */
    CompletableFuture<Void> produce(String tenant, int n) {
        return produce(tenant, 0, n);
    }

    /** Sends events {@code <tenant>-from} .. {@code <tenant>-(from+n-1)} in the background. */
    CompletableFuture<Void> produce(String tenant, int from, int n) {
        return CompletableFuture.runAsync(() -> {
            try (KafkaProducer<String, byte[]> producer = producer()) {
                for (int i = from; i < from + n; i++) {
                    producer.send(SampleEvents.event(tenant, tenant + "-" + i, i));
                }
            }
        });
    }

    KafkaProducer<String, byte[]> producer() {
        Map<String, Object> props =
                new HashMap<>(stack.kafkaClient(KafkaAccess.PRODUCER)); // as event producers publish
        props.putAll(Map.of(
                "acks",
                "all",
                "linger.ms",
                20,
                "batch.size",
                262_144,
                "delivery.timeout.ms",
                300_000,
                "max.request.size",
                2_000_000));
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    long stored(String tenant) throws Exception {
        return count("SELECT count(*) FROM activity_record WHERE tenant_id = ?", tenant);
    }

    long count(String sql, String tenant) throws Exception {
        try (Connection c = DriverManager.getConnection(stack.dataJdbcUrl(), "byok", "byok");
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, tenant);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** An HTTP call to a service of the stack; {@code token} null sends none. */
    /** GET on a service's (or replica's) management port: its health checks and metrics. */
    HttpResponse<String> management(String service, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + stack.managementPort(service) + path))
                        .timeout(Duration.ofMinutes(1))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> call(String service, String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + stack.port(service) + path))
                .timeout(Duration.ofMinutes(1))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Enables BYOK for the tenant with this key (a versionless URI of the stack's vault). */
    void enable(String tenant, String keyName) throws Exception {
        String uri = stack.emulator().vaultUri(RunningStack.VAULT) + "/keys/" + keyName;
        HttpResponse<String> response = call(
                "config-service",
                "PUT",
                "/api/v1/tenants/" + tenant + "/encryption",
                token(tenant),
                KeyRequests.json(uri));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    /**
     * A BYOK tenant under a new key of the stack's vault with {@code deks} DEKs ({@value #DEK_MAX_RECORDS}
     * events each), all stored and protected; returns the number of events.
     */
    int protectedTenant(String tenant, String key, int deks) throws Exception {
        vaultAdmin().createKey(RunningStack.VAULT, key, "RSA", 2048);
        enable(tenant, key);
        int events = deks * DEK_MAX_RECORDS;
        produce(tenant, events).get(5, TimeUnit.MINUTES);
        await().atMost(LONG).ignoreExceptions().until(() -> stored(tenant) == events && fullyProtected(tenant));
        return events;
    }

    /** SQL counting a tenant's DEKs wrapped under a key version (parameter: the tenant). */
    static String deksOnVersion(String version) {
        return "SELECT count(*) FROM dek WHERE tenant_id = ? AND customer_key_id LIKE '%/" + version + "'";
    }

    JsonNode status(String tenant) throws Exception {
        HttpResponse<String> response =
                call("config-service", "GET", "/api/v1/tenants/" + tenant + "/encryption", token(tenant), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** The tenant's protection report covers every DEK it has: all on the target key version, none pending. */
    boolean fullyProtected(String tenant) throws Exception {
        JsonNode p = status(tenant).path("protection");
        long deks = count("SELECT count(*) FROM dek WHERE tenant_id = ?", tenant);
        // the report must cover every DEK stored now: one made while ingest was still running is not in an earlier
        // report
        return !p.path("targetKeyVersionId").isNull()
                && p.path("deks").asLong() == deks
                && deks > 0
                && p.path("deks").asLong() == p.path("deksOnTarget").asLong()
                && p.path("oldestUnprotectedAt").isNull();
    }

    /** Every page of the tenant's events through the read API (each must answer 200). */
    List<JsonNode> readAll(String tenant) throws Exception {
        String token = token(tenant);
        List<JsonNode> pages = new ArrayList<>();
        String after = null;
        do {
            HttpResponse<String> response = call(
                    "crypto-service",
                    "GET",
                    "/api/v1/tenants/" + tenant + "/events?limit=1000" + (after == null ? "" : "&after=" + after),
                    token,
                    null);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode page = JSON.readTree(response.body());
            pages.add(page);
            after = page.path("next").isTextual() ? page.path("next").asText() : null;
        } while (after != null);
        return pages;
    }

    /** What the read API returned for the tenant: its event ids, and how many records it reported corrupted. */
    record ReadBack(Set<String> eventIds, long corrupted) {}

    ReadBack readBack(String tenant) throws Exception {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        long corrupted = 0;
        for (JsonNode page : readAll(tenant)) {
            page.path("events").forEach(e -> ids.add(e.path("eventId").asText()));
            corrupted += page.path("corrupted").size();
        }
        return new ReadBack(ids, corrupted);
    }

    private static Path repository() {
        return Path.of("").toAbsolutePath().getParent();
    }
}
