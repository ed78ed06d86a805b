package dev.byok.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byok.local.RunningStack;
import dev.byok.local.SampleEvents;
import dev.byok.local.StackOptions;
import dev.byok.model.Topics;
import dev.byok.testsupport.EmbeddedKafkaBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Crashes, restarts, malformed input, tampering and secrets hygiene against the packaged services
 * as separate processes (one {@link RunningStack} for the whole suite). Each scenario adds its row to
 * docs/reliability.md; the secrets scan runs last, over every log the suite produced.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultSuiteIT {
    private static final int CRASH_EVENTS = Integer.getInteger("fault.crash-events", 100_000);
    private static final int RESTART_EVENTS = 20_000;
    private static final int MALFORMED_PER_CLASS = 1_000;
    private static final int TAMPERED = 10_000;
    private static final Duration LONG = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Results results = new Results();
    private final String run = UUID.randomUUID().toString().substring(0, 6);
    private final Set<String> tokensIssued = new HashSet<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private RunningStack stack;

    @BeforeAll
    void start() throws Exception {
        Path data = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "stack-");
        StackOptions options = StackOptions.defaults(Path.of("").toAbsolutePath().getParent()).withDataDir(data).withDemoTimers(true)
                .withPorts(free(), free(), free(), free(), free(), free(), free(), free(), free());
        stack = RunningStack.start(options, line -> { });
    }

    @AfterAll
    void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
        results.write(Path.of("").toAbsolutePath().getParent().resolve("docs/reliability.md"));
    }

    @Test
    @Order(1)
    void cryptoServiceKilledMidStream_everyEventStoredExactlyOnce() throws Exception {
        String tenant = "crash-" + run;
        CompletableFuture<Void> producing = produce(tenant, CRASH_EVENTS);
        await().atMost(LONG).until(() -> stored(tenant) >= CRASH_EVENTS / 4);
        long atKill = stored(tenant);
        stack.kill("crypto-service");
        long restartedAt = System.nanoTime();
        stack.restart("crypto-service");
        producing.get(10, TimeUnit.MINUTES);
        await().atMost(LONG).until(() -> stored(tenant) == CRASH_EVENTS);
        double seconds = (System.nanoTime() - restartedAt) / 1e9;

        assertThat(stored(tenant)).isEqualTo(CRASH_EVENTS);
        results.add("kill -9 crypto-service while %,d events flow".formatted(CRASH_EVENTS), "every event stored exactly once",
                "%,d of %,d stored once (killed at %,d stored; all in %.0f s after the restart began)".formatted(stored(tenant), CRASH_EVENTS,
                        atKill, seconds));
    }

    @Test
    @Order(2)
    void kafkaBrokerRestart_midStream_nothingLost() throws Exception {
        String tenant = "broker-" + run;
        CompletableFuture<Void> producing = produce(tenant, RESTART_EVENTS);
        await().atMost(LONG).until(() -> stored(tenant) >= RESTART_EVENTS / 4);
        stack.restartKafka();
        producing.get(10, TimeUnit.MINUTES);
        await().atMost(LONG).until(() -> stored(tenant) == RESTART_EVENTS);
        results.add("Kafka broker restarted mid-stream (%,d events)".formatted(RESTART_EVENTS), "every event stored exactly once",
                "%,d of %,d".formatted(stored(tenant), RESTART_EVENTS));
    }

    @Test
    @Order(3)
    void postgresRestart_midStream_nothingLost() throws Exception {
        String tenant = "pg-" + run;
        CompletableFuture<Void> producing = produce(tenant, RESTART_EVENTS);
        await().atMost(LONG).until(() -> stored(tenant) >= RESTART_EVENTS / 4);
        stack.restartPostgres();
        producing.get(10, TimeUnit.MINUTES);
        await().atMost(LONG).ignoreExceptions().until(() -> stored(tenant) == RESTART_EVENTS);
        results.add("PostgreSQL restarted mid-stream (%,d events)".formatted(RESTART_EVENTS), "every event stored exactly once",
                "%,d of %,d".formatted(stored(tenant), RESTART_EVENTS));
    }

    @Test
    @Order(4)
    void malformedEvents_allDeadLettered_goodOnesAroundThemAllStored() throws Exception {
        String tenant = "bad-" + run;
        List<byte[]> bad = MalformedEvents.generate(tenant, MALFORMED_PER_CLASS, new Random(42));
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int i = 0; i < bad.size(); i++) {
                producer.send(SampleEvents.event(tenant, tenant + "-" + i, i)); // a good event, then a bad one
                producer.send(new ProducerRecord<>(Topics.ACTIVITY_INGEST, tenant, bad.get(i)));
            }
        }
        await().atMost(LONG).until(() -> stored(tenant) == bad.size());
        List<Map<String, String>> dead = deadLetters(tenant, bad.size());

        assertThat(dead).hasSize(bad.size()).allSatisfy(h -> {
            assertThat(h.get(Topics.DLQ_HEADER_RULES)).isNotBlank();
            assertThat(h.get(Topics.DLQ_HEADER_REASON)).isNotBlank();
        });
        long rules = dead.stream().map(h -> h.get(Topics.DLQ_HEADER_RULES)).distinct().count();
        results.add("%,d malformed events (%d classes: broken JSON, binary junk, empty, wrong types, missing fields, huge fields, bad tenant ids, key mismatch, unknown fields, bad schema version) interleaved with %,d good ones"
                        .formatted(bad.size(), MalformedEvents.CLASSES, bad.size()),
                "all dead-lettered with reasons; every good event stored",
                "%,d in the DLQ with rules and reason (%d distinct rule sets); %,d of %,d good stored".formatted(dead.size(), rules, stored(tenant), bad.size()));
    }

    @Test
    @Order(5)
    void tamperedRows_areAllReportedCorrupted_noneReturnedAsData() throws Exception {
        String tenant = "tamper-" + run;
        String donor = "donor-" + run;
        int donorsInTenant = 100;
        produce(tenant, TAMPERED + donorsInTenant).get(10, TimeUnit.MINUTES);
        produce(donor, 100).get(10, TimeUnit.MINUTES);
        await().atMost(LONG).until(() -> stored(tenant) == TAMPERED + donorsInTenant && stored(donor) == 100);

        int mutated = Tampering.mutate(stack.dataJdbcUrl(), tenant, donor, TAMPERED);
        List<JsonNode> pages = readAll(tenant);
        Set<String> returned = new HashSet<>();
        long corrupted = 0;
        for (JsonNode page : pages) {
            page.path("events").forEach(e -> returned.add(e.path("eventId").asText()));
            corrupted += page.path("corrupted").size();
        }

        assertThat(mutated).isEqualTo(TAMPERED);
        assertThat(corrupted).isEqualTo(TAMPERED);
        assertThat(returned).hasSize(donorsInTenant).allSatisfy(id -> assertThat(Tampering.isTampered(id, TAMPERED)).isFalse());
        results.add("%,d stored rows mutated (%d kinds: ciphertext, nonce, tag, version, DEK id and length bytes, truncated, extended, moved between records, moved from another tenant)"
                        .formatted(TAMPERED, Tampering.KINDS),
                "every one detected; none returned as data", "%,d reported corrupted; 0 returned; the %d untouched rows read normally"
                        .formatted(corrupted, donorsInTenant));
    }

    @Test
    @Order(99)
    void noSecretOrPayloadInAnyLog() throws Exception {
        Path data = stack.options().dataDir().toAbsolutePath();
        List<String> needles = new ArrayList<>(tokensIssued);
        String keyring = Files.readString(data.resolve("secrets/managed-keyring")).trim();
        needles.add(keyring.substring(keyring.indexOf(':') + 1));
        needles.add("@crash-" + run + ".example"); // actors inside event payloads
        needles.add("@tamper-" + run + ".example");
        try (Connection c = DriverManager.getConnection(stack.dataJdbcUrl(), "byok", "byok");
             ResultSet rs = c.createStatement().executeQuery("SELECT wrapped FROM dek LIMIT 200")) {
            while (rs.next()) {
                needles.add(Base64.getEncoder().encodeToString(rs.getBytes(1)).substring(0, 40)); // wrapped DEKs
            }
        }
        List<Path> logs;
        try (Stream<Path> files = Files.list(data.resolve("logs"))) {
            logs = files.toList();
        }
        long bytes = 0;
        for (Path log : logs) {
            String text = Files.readString(log, StandardCharsets.ISO_8859_1);
            bytes += text.length();
            for (String needle : needles) {
                assertThat(text).as(log.getFileName() + " must not contain a secret or payload").doesNotContain(needle);
            }
        }
        results.add("Secrets hygiene: every service log of this suite (%,d KB) scanned".formatted(bytes / 1024),
                "no token, managed key, wrapped DEK or event payload", "none of %d generated values found".formatted(needles.size()));
    }

    private CompletableFuture<Void> produce(String tenant, int n) {
        return CompletableFuture.runAsync(() -> {
            try (KafkaProducer<String, byte[]> producer = producer()) {
                for (int i = 0; i < n; i++) {
                    producer.send(SampleEvents.event(tenant, tenant + "-" + i, i));
                }
            }
        });
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of("bootstrap.servers", stack.bootstrapServers(), "acks", "all", "linger.ms", 20,
                "batch.size", 262_144, "delivery.timeout.ms", 300_000, "max.request.size", 2_000_000), new StringSerializer(), new ByteArraySerializer());
    }

    private long stored(String tenant) throws Exception {
        try (Connection c = DriverManager.getConnection(stack.dataJdbcUrl(), "byok", "byok");
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM activity_record WHERE tenant_id = ?")) {
            s.setString(1, tenant);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private List<Map<String, String>> deadLetters(String tenant, int expected) {
        List<Map<String, String>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "fault-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.ACTIVITY_INGEST_DLQ));
            await().atMost(LONG).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                    if (tenant.equals(r.key())) {
                        Map<String, String> headers = new java.util.HashMap<>();
                        r.headers().forEach(h -> headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
                        found.add(headers);
                    }
                });
                return found.size() >= expected;
            });
        }
        return found;
    }

    private List<JsonNode> readAll(String tenant) throws Exception {
        String token = stack.adminToken(tenant, Duration.ofMinutes(30));
        tokensIssued.add(token);
        List<JsonNode> pages = new ArrayList<>();
        String after = null;
        do {
            String url = "http://localhost:" + stack.options().cryptoPort() + "/api/v1/tenants/" + tenant + "/events?limit=1000"
                    + (after == null ? "" : "&after=" + after);
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(1))
                            .header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode page = JSON.readTree(response.body());
            pages.add(page);
            after = page.path("next").isTextual() ? page.path("next").asText() : null;
        } while (after != null);
        return pages;
    }

    private static int free() throws Exception {
        return EmbeddedKafkaBroker.freePort();
    }
}
