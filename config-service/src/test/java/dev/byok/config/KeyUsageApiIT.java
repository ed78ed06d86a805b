package dev.byok.config;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.byok.emulator.EmulatorAdminClient;
import dev.byok.infra.KeyRequests;
import dev.byok.kms.KeyAccessFailure;
import dev.byok.kms.KeyOperation;
import dev.byok.kms.KeyUsagePurpose;
import dev.byok.kms.KeyVersionId;
import dev.byok.model.KeyUsageAudit;
import dev.byok.model.TenantLockState;
import dev.byok.model.Topics;
import dev.byok.testsupport.JwtTestResource;
import dev.byok.testsupport.KafkaTestResource;
import dev.byok.testsupport.KeyVaultEmulatorEndpoint;
import dev.byok.testsupport.KeyVaultEmulatorTestResource;
import dev.byok.testsupport.PostgresTestResource;
import dev.byok.testsupport.TestTokens;
import dev.byok.testsupport.TopicClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The tenant's key-use audit through the admin API: fed by the services' audit records on the real
 * broker (read with config-service's own principal), tenant-isolated, paged, refused while LOCKED,
 * and unmoved by malformed or out-of-bounds records.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KeyVaultEmulatorTestResource.class)
@QuarkusTestResource(JwtTestResource.class)
class KeyUsageApiIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final EmulatorAdminClient admin =
            new EmulatorAdminClient(KeyVaultEmulatorEndpoint.emulator().adminUri());

    @Test
    void enablingBYOK_showsItsValidationCalls_toThatTenantOnly() {
        String tenant = tenant();
        KeyVersionId key = KeyVersionId.parse(admin.createKey(KeyVaultEmulatorEndpoint.VAULT, tenant, "RSA", 2048));
        given().header("Authorization", "Bearer " + TestTokens.admin(tenant))
                .contentType(ContentType.JSON)
                .body(KeyRequests.of(key.key().toString()))
                .put("/api/v1/tenants/" + tenant + "/encryption")
                .then()
                .statusCode(200);

        await().atMost(WAIT)
                .until(() -> operations(page(tenant, ""))
                        .containsAll(Set.of("WRAP", "UNWRAP", "DESCRIBE", "RESOLVE_LATEST")));
        JsonPath uses = page(tenant, "");
        assertThat(uses.getList("items.service", String.class)).containsOnly("config-service");
        assertThat(uses.getList("items.purpose", String.class)).containsOnly("VALIDATION");
        assertThat(uses.getList("items.outcome", String.class)).containsOnly("OK");
        assertThat(uses.getList("items.keyVersionId", String.class)).contains(key.toString());

        String other = tenant();
        assertThat(page(other, "").getList("items")).isEmpty();
        given().header("Authorization", "Bearer " + TestTokens.admin(other))
                .get(path(tenant))
                .then()
                .statusCode(403);
        given().get(path(tenant)).then().statusCode(401);
    }

    @Test
    void pages_followTheCursor_newestFirst_withoutOverlap() {
        String tenant = tenant();
        for (int i = 0; i < 5; i++) {
            audit(tenant, Instant.now(), i % 2 == 0);
        }
        await().atMost(WAIT)
                .until(() -> page(tenant, "?limit=200").getList("items").size() == 5);

        JsonPath first = page(tenant, "?limit=2");
        JsonPath second = page(tenant, "?limit=2&cursor=" + first.getString("next"));
        JsonPath last = page(tenant, "?limit=2&cursor=" + second.getString("next"));
        List<Long> ids = new java.util.ArrayList<>();
        for (JsonPath p : List.of(first, second, last)) {
            ids.addAll(p.getList("items.id", Long.class));
        }
        assertThat(ids).hasSize(5).doesNotHaveDuplicates().isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(last.getString("next")).isNull();
        assertThat(page(tenant, "?limit=200").getList("items.outcome", String.class))
                .contains("OK", "KEY_DISABLED");
    }

    @Test
    void malformedOrOutOfBoundsRecords_areSkipped_andTheNextOneIsStored() {
        String tenant = tenant();
        TopicClient.publishBytes(Topics.AUDIT_KEY_USAGE, tenant, "{not json".getBytes(StandardCharsets.UTF_8));
        audit(tenant, Instant.parse("+100000-01-01T00:00:00Z"), true); // no database can store this time
        TopicClient.publish(
                Topics.AUDIT_KEY_USAGE, "another-tenant", audit(tenant, Instant.now())); // key is not its tenant
        audit(tenant, Instant.now(), true);

        await().atMost(WAIT).until(() -> page(tenant, "").getList("items").size() == 1);
        assertThat(page(tenant, "").getList("items.time", String.class).get(0)).doesNotStartWith("+");
    }

    @Test
    void badParameters_get400_andALockedTenantGets423() {
        String tenant = tenant();
        given().header("Authorization", "Bearer " + TestTokens.admin(tenant))
                .get(path(tenant) + "?limit=0")
                .then()
                .statusCode(400)
                .body("title", equalTo("Invalid limit"));
        given().header("Authorization", "Bearer " + TestTokens.admin(tenant))
                .get(path(tenant) + "?cursor=abc")
                .then()
                .statusCode(400)
                .body("title", equalTo("Invalid cursor"));

        TopicClient.publish(
                Topics.TENANT_LOCK_STATE,
                tenant,
                TenantLockState.locked(tenant, KeyAccessFailure.KEY_DISABLED, "the key is disabled", Instant.now()));
        await().atMost(WAIT)
                .untilAsserted(() -> given().header("Authorization", "Bearer " + TestTokens.admin(tenant))
                        .get(path(tenant))
                        .then()
                        .statusCode(423));
    }

    private static String tenant() {
        return "use-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String path(String tenant) {
        return "/api/v1/tenants/" + tenant + "/encryption/key-usage";
    }

    private static JsonPath page(String tenant, String query) {
        return given().header("Authorization", "Bearer " + TestTokens.admin(tenant))
                .get(path(tenant) + query)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static Set<String> operations(JsonPath page) {
        return new HashSet<>(page.getList("items.operation", String.class));
    }

    private static void audit(String tenant, Instant at, boolean ok) {
        KeyUsageAudit audit = new KeyUsageAudit(
                tenant,
                "https://v.vault.azure.net/keys/k/1",
                KeyOperation.UNWRAP,
                KeyUsagePurpose.DEK_LOAD,
                ok,
                ok ? Optional.empty() : Optional.of(KeyAccessFailure.KEY_DISABLED),
                12,
                "crypto-service",
                at);
        TopicClient.publish(Topics.AUDIT_KEY_USAGE, tenant, audit);
    }

    private static KeyUsageAudit audit(String tenant, Instant at) {
        return new KeyUsageAudit(
                tenant,
                "https://v.vault.azure.net/keys/k/1",
                KeyOperation.WRAP,
                KeyUsagePurpose.NEW_DEK,
                true,
                Optional.empty(),
                3,
                "crypto-service",
                at);
    }
}
