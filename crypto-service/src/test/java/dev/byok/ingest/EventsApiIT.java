package dev.byok.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byok.emulator.EmulatorAdminClient;
import dev.byok.kms.KeyAccessFailure;
import dev.byok.kms.KeyVersionId;
import dev.byok.model.KeyConfigEvent;
import dev.byok.model.TenantLockState;
import dev.byok.model.Topics;
import dev.byok.store.KeyConfigs;
import dev.byok.testsupport.JwtTestResource;
import dev.byok.testsupport.KafkaTestResource;
import dev.byok.testsupport.KeyVaultEmulatorEndpoint;
import dev.byok.testsupport.KeyVaultEmulatorTestResource;
import dev.byok.testsupport.PostgresTestResource;
import dev.byok.testsupport.TenantRows;
import dev.byok.testsupport.TestTokens;
import dev.byok.testsupport.TopicClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The read API: decrypted events in pages, tenant isolation, 423 when locked, tampering detected, revocation honoured. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KeyVaultEmulatorTestResource.class)
@QuarkusTestResource(JwtTestResource.class)
class EventsApiIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final EmulatorAdminClient admin =
            new EmulatorAdminClient(KeyVaultEmulatorEndpoint.emulator().adminUri());
    private final String tenant = "rd-" + UUID.randomUUID().toString().substring(0, 8);

    @Inject
    Pool pool;

    @Inject
    KeyConfigs keyConfigs;

    @Test
    void eventsComeBackDecrypted_inPages_onlyToThisTenantsAdmin() throws Exception {
        ingest(tenant, 12);

        Response first = get(tenant, "?limit=5");
        first.then()
                .statusCode(200)
                .body("events", hasSize(5))
                .body("events[0].eventId", equalTo("e-00"))
                .body("events[0].actor", equalTo("alice@contoso.com"))
                .body("corrupted", hasSize(0));
        String next = first.path("next");
        get(tenant, "?limit=5&after=" + next).then().statusCode(200).body("events[0].eventId", equalTo("e-05"));
        get(tenant, "?limit=100").then().body("events", hasSize(12)).body("next", equalTo(null));

        given().get(path(tenant)).then().statusCode(401);
        given().header("Authorization", "Bearer " + TestTokens.admin("someone-else"))
                .get(path(tenant))
                .then()
                .statusCode(403);
        get(tenant, "?limit=5000").then().statusCode(400).body("detail", equalTo("limit must be within 1..1000"));
        get(tenant, "?after=garbage").then().statusCode(400).body("title", equalTo("Invalid cursor"));
    }

    @Test
    void anEventComesBackAsItsProducerPublishedIt_notReEncoded() throws Exception {
        String published = "{ \"actor\": \"alice@contoso.com\", \"schemaVersion\": 1, \"eventId\": \"e-as-published\","
                + " \"occurredAt\": \"2026-11-28T09:00:00.000Z\", \"tenantId\": \"" + tenant + "\","
                + " \"activityType\": \"file.share\", \"attributes\": null }";
        send(Topics.ACTIVITY_INGEST, tenant, null, published);
        await().atMost(WAIT).until(() -> TenantRows.records(tenant) == 1);

        Map<String, Object> returned =
                get(tenant, "").then().statusCode(200).extract().path("events[0]");

        assertThat(returned)
                .isEqualTo(new ObjectMapper().readValue(published, new TypeReference<Map<String, Object>>() {}))
                .containsEntry("occurredAt", "2026-11-28T09:00:00.000Z"); // re-encoded, it would read ...09:00:00Z
    }

    @Test
    void tamperedOrMovedCiphertext_isReportedCorrupted_neverReturned() throws Exception {
        String other = "rd-o-" + UUID.randomUUID().toString().substring(0, 8);
        ingest(tenant, 3);
        ingest(other, 1);
        pool.preparedQuery("UPDATE activity_record SET envelope = set_byte(envelope, 40, get_byte(envelope, 40) # 1)"
                        + " WHERE tenant_id = $1 AND event_id = 'e-01'")
                .execute(Tuple.of(tenant))
                .await()
                .atMost(WAIT);
        pool.preparedQuery("UPDATE activity_record SET envelope = (SELECT envelope FROM "
                        + "activity_record WHERE tenant_id = $2 AND event_id = 'e-00')"
                        + " WHERE tenant_id = $1 AND event_id = 'e-02'")
                .execute(Tuple.of(tenant, other))
                .await()
                .atMost(WAIT);

        Response page = get(tenant, "");
        page.then()
                .statusCode(200)
                .body("events", hasSize(1))
                .body("events[0].eventId", equalTo("e-00"))
                .body("corrupted.eventId", org.hamcrest.Matchers.containsInAnyOrder("e-01", "e-02"));
        assertThat(given().get("/q/metrics").asString()).contains("byok_records_corrupted_total");
    }

    @Test
    void forgedRowNamingAnotherTenantsCachedDek_readsAsCorrupted_neverAsThatTenantsEvent() throws Exception {
        String victim = "rd-v-" + UUID.randomUUID().toString().substring(0, 8);
        ingest(victim, 1);
        ingest(tenant, 1);
        pool.preparedQuery(
                        "UPDATE activity_record SET (dek_id, envelope) = (SELECT dek_id, envelope FROM activity_record"
                                + " WHERE tenant_id = $2 AND event_id = 'e-00') WHERE tenant_id = $1 AND event_id = 'e-00'")
                .execute(Tuple.of(tenant, victim))
                .await()
                .atMost(WAIT); // the victim's DEK id and envelope, same event id

        get(victim, "")
                .then()
                .statusCode(200)
                .body("events", hasSize(1)); // the victim's DEK is now in the read cache (TTL 1 s here)
        get(tenant, "")
                .then()
                .statusCode(200)
                .body("events", hasSize(0))
                .body("corrupted.eventId", org.hamcrest.Matchers.contains("e-00"));
        get(victim, "").then().statusCode(200).body("events", hasSize(1)).body("corrupted", hasSize(0));
    }

    @Test
    void largeEvents_pagesStopAtTheByteBudget_threeConcurrentReadersEachGetEveryEventOnce() throws Exception {
        int events = 40;
        String attributes = IntStream.range(0, 60)
                .mapToObj(i -> "\"a" + i + "\":\"" + "x".repeat(4096) + "\"")
                .collect(Collectors.joining(","));
        for (int i = 0; i < events; i++) { // about 245 KiB each: 40 of them are 9.6 MiB, more than two pages' budget
            send(
                    Topics.ACTIVITY_INGEST,
                    tenant,
                    null,
                    json(tenant, String.format("e-%02d", i)).replace("}", ",\"attributes\":{" + attributes + "}}"));
        }
        await().atMost(WAIT).until(() -> TenantRows.records(tenant) == events);

        ExecutorService readers = Executors.newFixedThreadPool(3);
        try {
            List<Future<List<Integer>>> pages = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                pages.add(readers.submit(() -> readEveryPage(tenant)));
            }
            for (Future<List<Integer>> reader : pages) {
                List<Integer> sizes = reader.get(2, TimeUnit.MINUTES);
                assertThat(sizes)
                        .as("events per page")
                        .allSatisfy(n -> assertThat(n).isBetween(1, 17));
                assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(events);
            }
        } finally {
            readers.shutdownNow();
        }
    }

    /** Follows the cursor to the end; returns each page's number of events (and checks they come in order, once). */
    private static List<Integer> readEveryPage(String tenantId) {
        List<Integer> sizes = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        String after = "";
        do {
            Response page = get(tenantId, "?limit=1000" + (after.isEmpty() ? "" : "&after=" + after));
            page.then().statusCode(200).body("corrupted", hasSize(0));
            List<String> pageIds = page.path("events.eventId");
            sizes.add(pageIds.size());
            ids.addAll(pageIds);
            after = page.path("next") == null ? "" : page.path("next");
        } while (!after.isEmpty());
        assertThat(ids).isSorted().doesNotHaveDuplicates();
        return sizes;
    }

    @Test
    void lockedTenant_readsGet423() throws Exception {
        ingest(tenant, 1);
        send(
                Topics.TENANT_LOCK_STATE,
                tenant,
                TenantLockState.locked(
                        tenant,
                        KeyAccessFailure.KEY_DISABLED,
                        "the key (or its latest version) is disabled",
                        Instant.now()));

        await().atMost(WAIT)
                .untilAsserted(() -> get(tenant, "")
                        .then()
                        .statusCode(423)
                        .body("detail", equalTo("tenant locked: the key (or its latest version) is disabled")));
    }

    @Test
    void byokTenantsRows_becomeUnreadableOnceItsKeyIsDisabled_afterTheCacheTtl() throws Exception {
        KeyVersionId key = KeyVersionId.parse(admin.createKey(KeyVaultEmulatorEndpoint.VAULT, tenant, "RSA", 2048));
        send(
                Topics.TENANT_KEY_CONFIG,
                tenant,
                new KeyConfigEvent.KeyEnabled(
                        tenant, 1, Instant.now(), key.key().toString(), key.toString()));
        await().atMost(WAIT).until(() -> keyConfigs.customerKey(tenant).isPresent());
        ingest(tenant, 2); // under a temporary DEK (moved later by the sweeper, which does not run here)
        await().atMost(WAIT).until(() -> TenantRows.customerWrappedDeks(tenant) > 0); // the DEK born under the key
        ingest(tenant, 2);
        get(tenant, "").then().statusCode(200).body("events", hasSize(4)).body("corrupted", hasSize(0));

        admin.updateVersion(KeyVaultEmulatorEndpoint.VAULT, tenant, key.version(), Map.of("enabled", false));

        await().atMost(WAIT)
                .untilAsserted(() -> get(tenant, "").then().statusCode(503).body("detail", containsString("disabled")));
        String metrics = given().get("/q/metrics").asString();
        assertThat(metrics)
                .contains("byok_keyvault_calls_seconds_count{operation=\"WRAP\",outcome=\"OK\",purpose=\"NEW_DEK\"}")
                .contains(
                        "byok_keyvault_calls_seconds_count{operation=\"UNWRAP\",outcome=\"KEY_DISABLED\",purpose=\"DEK_LOAD\"}")
                // latency buckets for the dashboard's p99 panel
                .contains(
                        "byok_keyvault_calls_seconds_bucket{operation=\"WRAP\",outcome=\"OK\",purpose=\"NEW_DEK\",le=\"0.1\"}")
                .contains(
                        "byok_keyvault_calls_seconds_bucket{operation=\"WRAP\",outcome=\"OK\",purpose=\"NEW_DEK\",le=\"+Inf\"}");
    }

    @Test
    void offboardedTenant_readsGet410_andItsNewEventsGoToTheDlq() throws Exception {
        ingest(tenant, 1);
        send(
                Topics.TENANT_KEY_CONFIG,
                tenant,
                new KeyConfigEvent.TenantOffboarded(tenant, 1, Instant.now(), "admin@contoso"));
        await().atMost(WAIT).until(() -> keyConfigs.offboarded(tenant));

        get(tenant, "").then().statusCode(410).body("detail", containsString("offboarded"));
        send(Topics.ACTIVITY_INGEST, tenant, null, json(tenant, "after-offboarding"));
        var dead = TopicClient.recordsUntil(Topics.ACTIVITY_INGEST_DLQ, tenant, found -> !found.isEmpty(), WAIT);
        assertThat(new String(
                        dead.get(0)
                                .headers()
                                .lastHeader(Topics.DLQ_HEADER_RULES)
                                .value(),
                        StandardCharsets.UTF_8))
                .isEqualTo("offboarded");
    }

    /** Events e-{before}.. after the tenant's stored ones (ids continue: redelivered ids would be no-ops). */
    private void ingest(String tenantId, int n) throws Exception {
        long before = TenantRows.records(tenantId);
        for (long i = before; i < before + n; i++) {
            send(Topics.ACTIVITY_INGEST, tenantId, null, json(tenantId, String.format("e-%02d", i)));
        }
        await().atMost(WAIT).until(() -> TenantRows.records(tenantId) >= before + n);
    }

    private static String json(String tenantId, String eventId) {
        return "{\"schemaVersion\":1,\"tenantId\":\"" + tenantId + "\",\"eventId\":\"" + eventId
                + "\",\"occurredAt\":\"2026-11-28T09:00:00Z\",\"activityType\":\"file.share\",\"actor\":\"alice@contoso.com\"}";
    }

    private static Response get(String tenantId, String query) {
        return given().header("Authorization", "Bearer " + TestTokens.admin(tenantId))
                .get(path(tenantId) + query);
    }

    private static String path(String tenantId) {
        return "/api/v1/tenants/" + tenantId + "/events";
    }

    private static void send(String topic, String key, Object event) {
        TopicClient.publish(topic, key, event);
    }

    private static void send(String topic, String key, Object event, String raw) {
        if (raw == null) {
            TopicClient.publish(topic, key, event);
        } else {
            TopicClient.publishBytes(topic, key, raw.getBytes(StandardCharsets.UTF_8));
        }
    }
}
