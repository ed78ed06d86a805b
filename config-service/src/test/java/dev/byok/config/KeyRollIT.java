package dev.byok.config;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.byok.emulator.EmulatedVault;
import dev.byok.emulator.EmulatorAdminClient;
import dev.byok.infra.KeyRequests;
import dev.byok.kms.KeyAccessFailure;
import dev.byok.kms.KeyVersionId;
import dev.byok.model.EventCodec;
import dev.byok.model.KeyAccessEvent;
import dev.byok.model.KeyConfigEvent;
import dev.byok.model.Topics;
import dev.byok.testsupport.JwtTestResource;
import dev.byok.testsupport.KafkaEndpoint;
import dev.byok.testsupport.KafkaTestResource;
import dev.byok.testsupport.KeyVaultEmulatorEndpoint;
import dev.byok.testsupport.KeyVaultEmulatorTestResource;
import dev.byok.testsupport.PostgresTestResource;
import dev.byok.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Automatic roll: by polling and by the Event Grid webhook (both schemas, both handshakes). */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KeyVaultEmulatorTestResource.class)
@QuarkusTestResource(JwtTestResource.class)
class KeyRollIT {
    private static final String WEBHOOK = "/api/v1/webhooks/event-grid";
    private final EmulatorAdminClient admin =
            new EmulatorAdminClient(KeyVaultEmulatorEndpoint.emulator().adminUri());
    private final String tenant = "roll-" + UUID.randomUUID().toString().substring(0, 8);
    private KeyVersionId first;

    @Inject
    KeyRollPoller poller;

    @BeforeEach
    void enable() {
        first = KeyVersionId.parse(admin.createKey(KeyVaultEmulatorEndpoint.VAULT, tenant, "RSA", 2048));
        given().header("Authorization", "Bearer " + TestTokens.admin(tenant))
                .contentType(ContentType.JSON)
                .body(KeyRequests.of(first.key().toString()))
                .put("/api/v1/tenants/" + tenant + "/encryption")
                .then()
                .statusCode(200);
    }

    @AfterEach
    void restorePermissions() {
        admin.setPermissions(KeyVaultEmulatorEndpoint.VAULT, EmulatedVault.DEFAULT_PERMISSIONS);
    }

    @Test
    void newVersion_isRolledByPolling() throws Throwable {
        KeyVersionId second = KeyVersionId.parse(admin.rotate(KeyVaultEmulatorEndpoint.VAULT, tenant));

        poller.pollOnce(Instant.now());
        poller.pollOnce(Instant.now().plus(Duration.ofHours(1))); // every tenant is due an hour later

        assertRolled(second);
    }

    @Test
    void newVersion_isRolledAtOnceByTheEventGridWebhook() {
        KeyVersionId second = KeyVersionId.parse(admin.rotate(KeyVaultEmulatorEndpoint.VAULT, tenant));
        String delivery =
                "[{\"id\":\"" + UUID.randomUUID() + "\",\"eventType\":\"Microsoft.KeyVault.KeyNewVersionCreated\","
                        + "\"subject\":\"" + tenant + "\",\"eventTime\":\"2026-11-28T10:00:00Z\",\"dataVersion\":\"1\","
                        + "\"data\":{\"Id\":\"" + second
                        + "\",\"VaultName\":\"byok-test\",\"ObjectType\":\"Key\",\"ObjectName\":\"" + tenant
                        + "\",\"Version\":\"" + second.version() + "\"}}]";

        given().contentType(ContentType.JSON)
                .body(delivery)
                .post(WEBHOOK + "?secret=test-webhook-secret")
                .then()
                .statusCode(200)
                .body("rolled", equalTo(1));

        assertRolled(second);
    }

    @Test
    void newVersion_inCloudEventsSchema_isRolledToo() {
        KeyVersionId second = KeyVersionId.parse(admin.rotate(KeyVaultEmulatorEndpoint.VAULT, tenant));
        String event = "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID()
                + "\",\"source\":\"/subscriptions/x/vaults/byok-test\","
                + "\"type\":\"Microsoft.KeyVault.KeyNewVersionCreated\",\"data\":{\"Id\":\"" + second + "\"}}";

        given().contentType("application/cloudevents+json")
                .body(event)
                .post(WEBHOOK + "?secret=test-webhook-secret")
                .then()
                .statusCode(200)
                .body("rolled", equalTo(1));

        assertRolled(second);
    }

    @Test
    void handshakes_andTheSecret() {
        given().contentType(ContentType.JSON)
                .body("[{\"id\":\"1\",\"eventType\":\"Microsoft.EventGrid.SubscriptionValidationEvent\","
                        + "\"data\":{\"validationCode\":\"512d38b6-c7b8-40c8-89fe-f46f9e9622b6\"}}]")
                .post(WEBHOOK + "?secret=test-webhook-secret")
                .then()
                .statusCode(200)
                .body("validationResponse", equalTo("512d38b6-c7b8-40c8-89fe-f46f9e9622b6"));
        given().header("WebHook-Request-Origin", "eventgrid.azure.net")
                .options(WEBHOOK)
                .then()
                .statusCode(200)
                .header("WebHook-Allowed-Origin", "eventgrid.azure.net");
        given().contentType(ContentType.JSON)
                .body("[]")
                .post(WEBHOOK + "?secret=wrong")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("[]").post(WEBHOOK).then().statusCode(401);
    }

    @Test
    void keyAccessFailureWhilePolling_isPublishedForLockdown() throws Throwable {
        admin.setPermissions(KeyVaultEmulatorEndpoint.VAULT, Set.of("wrapKey", "unwrapKey")); // List revoked

        poller.pollOnce(Instant.now());
        poller.pollOnce(Instant.now().plus(Duration.ofHours(1)));

        List<KeyAccessEvent> events = read(Topics.KEY_ACCESS, KeyAccessEvent.class, 1);
        assertThat(events).first().isInstanceOfSatisfying(KeyAccessEvent.Failed.class, f -> {
            assertThat(f.failure()).isEqualTo(KeyAccessFailure.PERMISSION_DENIED);
            assertThat(f.source()).isEqualTo("config-service");
        });
    }

    private void assertRolled(KeyVersionId second) {
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().header("Authorization", "Bearer " + TestTokens.admin(tenant))
                        .get("/api/v1/tenants/" + tenant + "/encryption")
                        .then()
                        .body("keyVersionId", equalTo(second.toString()))
                        .body("mode", equalTo("ENABLED")));
        List<KeyConfigEvent> events = read(Topics.TENANT_KEY_CONFIG, KeyConfigEvent.class, 2);
        assertThat(events.get(1)).isInstanceOfSatisfying(KeyConfigEvent.KeyVersionRolled.class, r -> {
            assertThat(r.fromKeyVersionId()).isEqualTo(first.toString());
            assertThat(r.toKeyVersionId()).isEqualTo(second.toString());
            assertThat(r.revision()).isEqualTo(2);
        });
    }

    private <T> List<T> read(String topic, Class<T> type, int expected) {
        List<T> seen = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                KafkaEndpoint.admin(Map.of(
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "roll-it-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest")),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (tenant.equals(r.key())) {
                        seen.add(EventCodec.decode(r.value(), type));
                    }
                });
                return seen.size() >= expected;
            });
        }
        return seen;
    }
}
