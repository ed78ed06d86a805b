package dev.byok.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.byok.crypto.Dek;
import dev.byok.crypto.RecordEnvelope;
import dev.byok.kms.KmsFutures;
import dev.byok.model.Topics;
import dev.byok.store.DekRepository;
import dev.byok.store.TenantKeys;
import dev.byok.testsupport.JwtTestResource;
import dev.byok.testsupport.KafkaEndpoint;
import dev.byok.testsupport.KafkaTestResource;
import dev.byok.testsupport.KeyVaultEmulatorTestResource;
import dev.byok.testsupport.PostgresTestResource;
import dev.byok.testsupport.TenantRows;
import dev.byok.testsupport.TopicClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Ingest through the real broker into the real PostgreSQL: sealed, exactly once, bad input to the DLQ. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KeyVaultEmulatorTestResource.class)
@QuarkusTestResource(JwtTestResource.class)
@TestProfile(IngestIT.SmallDekBound.class)
class IngestIT {
    /** DEKs that seal 8 records each: ingest must rotate them, within a batch too. */
    public static class SmallDekBound implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("byok.crypto.dek-max-records", "8");
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    Pool pool;

    @Inject
    DekRepository deks;

    @Inject
    TenantKeys keys;

    @Inject
    MeterRegistry meters;

    private final String tenantA = "ing-a-" + UUID.randomUUID().toString().substring(0, 8);
    private final String tenantB = "ing-b-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void eventsOfTwoTenants_areSealedAndStoredOnce_andBadInputGoesToTheDlq_withGoodEventsBehindItStored()
            throws Exception {
        List<ProducerRecord<String, byte[]>> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sent.add(event(tenantA, "a-" + i));
            sent.add(event(tenantB, "b-" + i));
        }
        List<ProducerRecord<String, byte[]>> bad = List.of(
                new ProducerRecord<>(
                        Topics.ACTIVITY_INGEST, tenantA, "{\"tenantId\": \"".getBytes(StandardCharsets.UTF_8)),
                new ProducerRecord<>(
                        Topics.ACTIVITY_INGEST,
                        tenantA,
                        json(tenantA, "no-actor")
                                .replace(",\"actor\":\"alice@contoso.com\"", "")
                                .getBytes(StandardCharsets.UTF_8)),
                new ProducerRecord<>(
                        Topics.ACTIVITY_INGEST,
                        tenantB,
                        json(tenantA, "wrong-key").getBytes(StandardCharsets.UTF_8)),
                new ProducerRecord<>(Topics.ACTIVITY_INGEST, tenantA, new byte[] {(byte) 0xff, 0, 0x13, 0x37}),
                new ProducerRecord<>(Topics.ACTIVITY_INGEST, tenantB, new byte[300 * 1024]));
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int i = 0; i < sent.size(); i++) {
                producer.send(sent.get(i)).get();
                if (i % 8 == 0 && i / 8 < bad.size()) {
                    producer.send(bad.get(i / 8)).get(); // interleaved with good events
                }
            }
            await().atMost(WAIT).until(() -> TenantRows.records(tenantA) == 20 && TenantRows.records(tenantB) == 20);
            double redeliveriesBefore = copyFallbacks("already-stored");

            for (ProducerRecord<String, byte[]> again : sent) {
                producer.send(again).get(); // redelivery of every event
            }
            producer.send(event(tenantA, "sentinel")).get(); // one per tenant: each partition got past its redeliveries
            producer.send(event(tenantB, "sentinel")).get();
            await().atMost(WAIT)
                    .until(() -> TenantRows.records(tenantA) == 21
                            && TenantRows.records(tenantB) == 21); // redelivered events stored once
            assertThat(copyFallbacks("already-stored"))
                    .as("a batch of redelivered events fails its COPY and goes the INSERT ... ON CONFLICT way")
                    .isGreaterThan(redeliveriesBefore);
        }
        assertThat(copyFallbacks("store"))
                .as("every fresh batch was stored by its COPY")
                .isZero();

        assertThat(envelopes(tenantA))
                .allSatisfy(e ->
                        assertThat(new String(e, StandardCharsets.ISO_8859_1)).doesNotContain("alice"));
        for (int i = 0; i < 20; i++) {
            assertThat(openOne(tenantA, "a-" + i))
                    .contains("\"eventId\":\"a-" + i + "\"")
                    .contains("alice@contoso.com");
        }
        assertThat(dekIds(tenantA))
                .as("the test profile's record bound (8) rotates DEKs, within batches too")
                .hasSizeGreaterThanOrEqualTo(3);

        List<ConsumerRecord<String, byte[]>> dead = deadLetters();
        assertThat(dead)
                .extracting(r -> header(r, Topics.DLQ_HEADER_RULES))
                .containsExactlyInAnyOrder("json", "required", "key", "json", "size");
        assertThat(dead).anySatisfy(r -> {
            assertThat(header(r, Topics.DLQ_HEADER_REASON)).isEqualTo("actor: actor is required");
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).doesNotContain("\"actor\"");
        });
        assertThat(dead).anySatisfy(r -> assertThat(r.value()).containsExactly((byte) 0xff, 0, 0x13, 0x37));
        assertThat(dead)
                .allSatisfy(r ->
                        assertThat(header(r, Topics.DLQ_HEADER_SOURCE_TOPIC)).isEqualTo(Topics.ACTIVITY_INGEST));
        assertThat(dead)
                .filteredOn(r -> header(r, Topics.DLQ_HEADER_RULES).equals("size"))
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.value())
                            .as("too large to resend: a pointer and a digest instead")
                            .isNull();
                    assertThat(header(r, Topics.DLQ_HEADER_ORIGINAL_VALUE_BYTES))
                            .isEqualTo(String.valueOf(300 * 1024));
                    assertThat(header(r, Topics.DLQ_HEADER_ORIGINAL_VALUE_SHA256))
                            .hasSize(64);
                    assertThat(header(r, Topics.DLQ_HEADER_SOURCE_OFFSET)).matches("[0-9]+");
                });
        String metrics = io.restassured.RestAssured.given().get("/q/metrics").asString();
        assertThat(metrics).contains("byok_ingest_stored_total").contains("byok_ingest_dlq_total{rules=\"key\"}");
    }

    @Test
    void eventsWithinRetention_areStoredInTheirDaysPartition_andOlderOnesGoToTheDlq() throws Exception {
        String tenant = "ing-r-" + UUID.randomUUID().toString().substring(0, 8);
        Instant withinRetention = Instant.now().minus(Duration.ofDays(179)); // a day no other test writes
        Instant pastRetention = Instant.now().minus(Duration.ofDays(181));
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(eventAt(tenant, "old", pastRetention)).get();
            producer.send(eventAt(tenant, "kept", withinRetention)).get();
            producer.send(eventAt(tenant, "new", Instant.now())).get();
        }

        await().atMost(WAIT).until(() -> TenantRows.records(tenant) == 2);
        assertThat(TopicClient.recordsUntil(Topics.ACTIVITY_INGEST_DLQ, tenant, r -> !r.isEmpty(), WAIT))
                .singleElement()
                .satisfies(r -> {
                    assertThat(header(r, Topics.DLQ_HEADER_RULES)).isEqualTo("retention");
                    assertThat(header(r, Topics.DLQ_HEADER_REASON))
                            .isEqualTo("occurredAt: occurredAt is older than this deployment keeps records"
                                    + " (180 days): it would be deleted at once");
                });
        String day = java.time.format.DateTimeFormatter.BASIC_ISO_DATE.format(
                java.time.LocalDate.ofInstant(withinRetention, java.time.ZoneOffset.UTC));
        assertThat(pool.preparedQuery("SELECT count(*) FROM activity_record_" + day + " WHERE tenant_id = $1")
                        .execute(Tuple.of(tenant))
                        .await()
                        .atMost(WAIT)
                        .iterator()
                        .next()
                        .getLong(0))
                .as("the day's partition was created for it")
                .isEqualTo(1);
    }

    private String openOne(String tenant, String eventId) {
        Row row = pool.preparedQuery(
                        "SELECT dek_id, envelope FROM activity_record WHERE tenant_id = $1 AND event_id = $2")
                .execute(Tuple.of(tenant, eventId))
                .await()
                .atMost(WAIT)
                .iterator()
                .next();
        DekRepository.StoredDek stored =
                deks.find(row.getUUID("dek_id")).await().atMost(WAIT).orElseThrow();
        Dek dek = KmsFutures.join(keys.unwrap(stored)); // managed-only tenant: its tenant key, no customer key
        return new String(
                RecordEnvelope.open(
                        dek, tenant, eventId, row.getBuffer("envelope").getBytes()),
                StandardCharsets.UTF_8);
    }

    private List<java.util.UUID> dekIds(String tenant) {
        List<java.util.UUID> out = new ArrayList<>();
        pool.preparedQuery("SELECT DISTINCT dek_id FROM activity_record WHERE tenant_id = $1")
                .execute(Tuple.of(tenant))
                .await()
                .atMost(WAIT)
                .forEach(r -> out.add(r.getUUID("dek_id")));
        return out;
    }

    private List<byte[]> envelopes(String tenant) {
        List<byte[]> out = new ArrayList<>();
        pool.preparedQuery("SELECT envelope FROM activity_record WHERE tenant_id = $1")
                .execute(Tuple.of(tenant))
                .await()
                .atMost(WAIT)
                .forEach(r -> out.add(r.getBuffer("envelope").getBytes()));
        return out;
    }

    private List<ConsumerRecord<String, byte[]>> deadLetters() {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>(TopicClient.recordsUntil(
                Topics.ACTIVITY_INGEST_DLQ, tenantA, r -> r.size() >= 3, WAIT)); // broken JSON, no actor, junk
        found.addAll(TopicClient.recordsUntil(
                Topics.ACTIVITY_INGEST_DLQ, tenantB, r -> r.size() >= 2, WAIT)); // wrong key, oversize
        return found;
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static ProducerRecord<String, byte[]> event(String tenant, String eventId) {
        return new ProducerRecord<>(
                Topics.ACTIVITY_INGEST, tenant, json(tenant, eventId).getBytes(StandardCharsets.UTF_8));
    }

    private static String json(String tenant, String eventId) {
        return json(tenant, eventId, Instant.now().minusSeconds(60));
    }

    private static String json(String tenant, String eventId, Instant occurredAt) {
        return "{\"schemaVersion\":1,\"tenantId\":\"" + tenant + "\",\"eventId\":\"" + eventId + "\",\"occurredAt\":\""
                + occurredAt + "\",\"activityType\":\"file.share\",\"actor\":\"alice@contoso.com\"}";
    }

    private static ProducerRecord<String, byte[]> eventAt(String tenant, String eventId, Instant occurredAt) {
        return new ProducerRecord<>(
                Topics.ACTIVITY_INGEST,
                tenant,
                json(tenant, eventId, occurredAt).getBytes(StandardCharsets.UTF_8));
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(
                KafkaEndpoint.admin(Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1024 * 1024)),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    private double copyFallbacks(String cause) {
        Counter counter =
                meters.find("byok.records.copy.fallbacks").tag("cause", cause).counter();
        return counter == null ? 0 : counter.count();
    }
}
