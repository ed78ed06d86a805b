package dev.byok.fault;

import static dev.byok.fault.Suite.LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byok.infra.EmbeddedKafkaBroker;
import dev.byok.local.SampleEvents;
import dev.byok.model.Topics;
import dev.byok.testsupport.TopicClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Records that once jammed a partition, and reads that could exhaust crypto-service's heap: each
 * poison record is dead-lettered with a bounded reason and the good events behind it are stored;
 * three concurrent {@code limit=1000} reads of near-limit events fit a 384 MiB service.
 */
@Order(2)
@ExtendWith(Suite.Resolver.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PoisonIT {
    private static final Duration BEHIND = Duration.ofSeconds(30);
    private static final int GOOD_BEHIND = 100;
    private static final int LARGE_EVENTS = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One kind of poison record: how to make it for a tenant, and the rules its dead letter must carry. */
    private record Poison(String name, String rules, IntFunction<String> body) {}

    private static final List<Poison> POISONS = List.of(
            new Poison(
                    "occurredAt -5000-01-01 (the store cannot hold it)",
                    "range",
                    n -> "\"occurredAt\":\"-5000-01-01T00:00:00Z\""),
            new Poison(
                    "25,000 unknown fields",
                    "unknown-field",
                    n -> String.join(",", fields(25_000, i -> "\"u" + Integer.toString(i, 36) + "\":0"))),
            new Poison(
                    "20,000 attributes of the wrong type",
                    "length,type",
                    n -> "\"attributes\":{"
                            + String.join(",", fields(20_000, i -> "\"a" + Integer.toString(i, 36) + "\":0")) + "}"),
            new Poison(
                    "a record of 1 MiB less 1 KiB", "size", n -> "\"pad\":\"" + "x".repeat(1024 * 1024 - 1200) + "\""));

    private final Suite suite;

    PoisonIT(Suite suite) {
        this.suite = suite;
    }

    @Test
    void eachPoisonRecord_isDeadLetteredWithABoundedReason_andTheGoodEventsBehindItAreStoredWithin30s()
            throws Exception {
        List<String> outcomes = new ArrayList<>();
        for (Poison poison : POISONS) {
            String tenant = "poison-" + POISONS.indexOf(poison) + "-" + suite.run;
            try (KafkaProducer<String, byte[]> producer = suite.producer()) {
                producer.send(new ProducerRecord<>(
                                Topics.ACTIVITY_INGEST,
                                tenant,
                                event(tenant, poison.body().apply(0))))
                        .get();
                for (int i = 0; i < GOOD_BEHIND; i++) {
                    producer.send(SampleEvents.event(tenant, tenant + "-" + i, i));
                }
            }
            Instant sent = Instant.now();
            await().atMost(BEHIND).until(() -> suite.stored(tenant) == GOOD_BEHIND);
            Duration behind = Duration.between(sent, Instant.now());
            ConsumerRecord<String, byte[]> dead = TopicClient.recordsUntil(
                            suite.stack.kafkaClient(EmbeddedKafkaBroker.ADMIN),
                            Topics.ACTIVITY_INGEST_DLQ,
                            tenant,
                            found -> !found.isEmpty(),
                            LONG)
                    .get(0);
            byte[] reason = dead.headers().lastHeader(Topics.DLQ_HEADER_REASON).value();
            assertThat(new String(
                            dead.headers().lastHeader(Topics.DLQ_HEADER_RULES).value(), StandardCharsets.UTF_8))
                    .as(poison.name())
                    .isEqualTo(poison.rules());
            assertThat(reason.length).as(poison.name()).isBetween(1, 4096);
            int size = (dead.value() == null ? 0 : dead.value().length) + reason.length;
            assertThat(size).as(poison.name()).isLessThanOrEqualTo(256 * 1024 + 4096);
            outcomes.add("%s: DLQ reason %,d bytes, dead letter %,d bytes, %d good events stored in %.1f s"
                    .formatted(poison.name(), reason.length, size, GOOD_BEHIND, behind.toMillis() / 1000.0));
        }
        suite.results.add(
                "Poison records, each followed by %d good events of its tenant: %s"
                        .formatted(
                                GOOD_BEHIND,
                                String.join(
                                        "; ", POISONS.stream().map(Poison::name).toList())),
                "each dead-lettered with its rules and a reason of at most 4 KiB (records over 256 "
                        + "KiB as digest and pointer); the good events stored within 30 s",
                String.join("; ", outcomes));
    }

    @Test
    void threeConcurrentReadsOfAThousandLargeEvents_fitTheService_pagesBoundedByBytes() throws Exception {
        String tenant = "large-" + suite.run;
        try (KafkaProducer<String, byte[]> producer = suite.producer()) {
            for (int i = 0; i < LARGE_EVENTS; i++) {
                producer.send(SampleEvents.large(tenant, tenant + "-" + String.format("%04d", i), i));
            }
        }
        await().atMost(LONG).until(() -> suite.stored(tenant) == LARGE_EVENTS);
        String token = suite.token(tenant);

        ExecutorService readers = Executors.newFixedThreadPool(3);
        List<List<Integer>> pages = new ArrayList<>();
        try {
            List<Future<List<Integer>>> reads = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                reads.add(readers.submit(() -> pageSizes(tenant, token)));
            }
            for (Future<List<Integer>> read : reads) {
                pages.add(read.get(10, TimeUnit.MINUTES));
            }
        } finally {
            readers.shutdownNow();
        }

        assertThat(pages).allSatisfy(sizes -> {
            assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(LARGE_EVENTS);
            assertThat(sizes).allSatisfy(n -> assertThat(n).isBetween(1, 17));
        });
        assertThat(suite.management("crypto-service", "/q/health/live").statusCode())
                .isEqualTo(200);
        int largest = pages.stream()
                .flatMap(List::stream)
                .mapToInt(Integer::intValue)
                .max()
                .orElseThrow();
        suite.results.add(
                "3 concurrent readers page through %,d events of 245 KiB each with limit=1000 (crypto-service heap 384 MiB)"
                        .formatted(LARGE_EVENTS),
                "pages stop at 4 MiB of records; every event read once per reader; no OutOfMemoryError",
                "%d, %d and %d pages of at most %d events; every reader got all %,d; crypto-service alive"
                        .formatted(
                                pages.get(0).size(),
                                pages.get(1).size(),
                                pages.get(2).size(),
                                largest,
                                LARGE_EVENTS));
    }

    /** Every page of the tenant's events (a 503 "too many concurrent reads" is retried after its Retry-After). */
    private List<Integer> pageSizes(String tenant, String token) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        String after = null;
        while (true) {
            String path = "/api/v1/tenants/" + tenant + "/events?limit=1000" + (after == null ? "" : "&after=" + after);
            HttpResponse<String> response = await().atMost(LONG)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofSeconds(1)) // its Retry-After
                    .until(
                            () -> suite.call("crypto-service", "GET", path, token, null),
                            r -> r.statusCode() != 503
                                    || r.headers()
                                            .firstValue("Retry-After")
                                            .isEmpty()); // the service's own bound on concurrent pages
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode page = JSON.readTree(response.body());
            sizes.add(page.path("events").size());
            if (!page.path("next").isTextual()) {
                return sizes;
            }
            after = page.path("next").asText();
        }
    }

    private static byte[] event(String tenant, String extra) {
        return ("{\"schemaVersion\":1,\"tenantId\":\"" + tenant
                        + "\",\"eventId\":\"poison\",\"activityType\":\"file.share\",\"actor\":\"a@b\","
                        + (extra.startsWith("\"occurredAt\"")
                                ? extra
                                : "\"occurredAt\":\"" + Instant.now() + "\"," + extra)
                        + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> fields(int n, IntFunction<String> field) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(field.apply(i));
        }
        return out;
    }
}
