package dev.byok.config;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import dev.byok.emulator.Directories;
import dev.byok.emulator.EmulatorAdminClient;
import dev.byok.infra.KeyRequests;
import dev.byok.kms.KeyAccessFailure;
import dev.byok.kms.KeyVersionId;
import dev.byok.model.KeyConfigEvent;
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
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The admin API on the real PostgreSQL, broker and Key Vault emulator, with real signed tokens. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KeyVaultEmulatorTestResource.class)
@QuarkusTestResource(JwtTestResource.class)
class EncryptionApiIT {
    private static final String PROBLEM = "application/problem+json";
    private final EmulatorAdminClient admin =
            new EmulatorAdminClient(KeyVaultEmulatorEndpoint.emulator().adminUri());
    private final String tenant = "cfg-" + UUID.randomUUID().toString().substring(0, 8);

    private RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    private RequestSpecification asAdmin() {
        return as(TestTokens.admin(tenant));
    }

    private String path() {
        return "/api/v1/tenants/" + tenant + "/encryption";
    }

    private KeyVersionId newKey() {
        return KeyVersionId.parse(admin.createKey(KeyVaultEmulatorEndpoint.VAULT, tenant, "RSA", 2048));
    }

    @Test
    void accessMatrix_onlyThisTenantsAdminGetsIn() {
        given().get(path()).then().statusCode(401);
        as(TestTokens.wronglySigned(tenant)).get(path()).then().statusCode(401);
        as(TestTokens.expired(tenant)).get(path()).then().statusCode(401);
        as(TestTokens.withoutRole(tenant)).get(path()).then().statusCode(403);
        as(TestTokens.admin("someone-else"))
                .get(path())
                .then()
                .statusCode(403)
                .contentType(PROBLEM)
                .body("detail", equalTo("this token is not valid for tenant " + tenant));
        asAdmin()
                .get(path())
                .then()
                .statusCode(200)
                .body("mode", equalTo("MANAGED_ONLY"))
                .header("ETag", "\"0\"");
    }

    @Test
    void enable_publishesTheLatestVersion_once_andDisableRemovesTheLayer() {
        KeyVersionId first = newKey();
        KeyVersionId latest = KeyVersionId.parse(admin.rotate(KeyVaultEmulatorEndpoint.VAULT, tenant));
        String givenUri = first.toString(); // an old version in the URI: the latest is used anyway

        asAdmin()
                .contentType(ContentType.JSON)
                .body(KeyRequests.of(givenUri))
                .put(path())
                .then()
                .statusCode(200)
                .body("keyUri", equalTo(givenUri))
                .body("keyVersionId", equalTo(latest.toString()))
                .body("directoryId", equalTo(Directories.DEFAULT_DIRECTORY))
                .header("ETag", "\"1\"");
        asAdmin()
                .contentType(ContentType.JSON)
                .body(KeyRequests.of(givenUri))
                .put(path())
                .then()
                .statusCode(200)
                .header("ETag", "\"1\"");
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> asAdmin().get(path()).then().body("mode", equalTo("ENABLED")));

        asAdmin()
                .header("If-Match", "\"1\"")
                .delete(path())
                .then()
                .statusCode(200)
                .header("ETag", "\"2\"");
        asAdmin().delete(path()).then().statusCode(200).header("ETag", "\"2\"");
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> asAdmin().get(path()).then().body("mode", equalTo("MANAGED_ONLY")));

        List<KeyConfigEvent> events = keyConfigEvents(tenant, 2);
        assertThat(events).hasSize(2);
        assertThat(outboxRows(tenant))
                .as("one event per change, none for the repeats")
                .isEqualTo(2);
        assertThat(events.get(0))
                .isEqualTo(new KeyConfigEvent.KeyEnabled(
                        tenant,
                        1,
                        events.get(0).occurredAt(),
                        givenUri,
                        latest.toString(),
                        Directories.DEFAULT_DIRECTORY));
        assertThat(events.get(1))
                .isInstanceOfSatisfying(
                        KeyConfigEvent.KeyDisabled.class,
                        disabled -> assertThat(disabled.directory())
                                .as("kept: removing the layer unwraps there")
                                .contains(Directories.DEFAULT_DIRECTORY));
        assertThat(events.get(1).revision()).isEqualTo(2);
    }

    @Test
    void staleIfMatch_isRefusedWith412() {
        KeyVersionId key = newKey();

        asAdmin()
                .header("If-Match", "\"7\"")
                .contentType(ContentType.JSON)
                .body(KeyRequests.of(key.key().toString()))
                .put(path())
                .then()
                .statusCode(412)
                .contentType(PROBLEM)
                .body("detail", containsString("the current ETag is \"0\""));
    }

    @Test
    void keyFailingValidation_isRefusedWith422_namingTheCheck_andNothingIsStored() {
        KeyVersionId key = newKey();
        admin.updateVersion(KeyVaultEmulatorEndpoint.VAULT, tenant, key.version(), Map.of("enabled", false));

        asAdmin()
                .contentType(ContentType.JSON)
                .body(KeyRequests.of(key.key().toString()))
                .put(path())
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("detail", equalTo("failed checks: KEY_ENABLED"))
                .body("report.checks.find { it.check == 'KEY_ENABLED' }.status", equalTo("FAILED"))
                .body("report.checks.find { it.check == 'KEY_ENABLED' }.remedy", notNullValue());
        asAdmin().get(path()).then().body("mode", equalTo("MANAGED_ONLY"));
    }

    @Test
    void validate_reportsEveryCheck_withoutChangingAnything() {
        KeyVersionId key = newKey();

        asAdmin()
                .contentType(ContentType.JSON)
                .body(KeyRequests.of(key.key().toString()))
                .post(path() + "/validate")
                .then()
                .statusCode(200)
                .body("passed", equalTo(true))
                .body("checks.check", hasItem("PURGE_PROTECTION"));
        asAdmin()
                .contentType(ContentType.JSON)
                .body(KeyRequests.of("https://contoso.vault.azure.net/secrets/x"))
                .post(path() + "/validate")
                .then()
                .statusCode(200)
                .body("passed", equalTo(false))
                .body("checks.find { it.check == 'URI_FORM' }.detail", containsString("secret, not a key"));
        asAdmin().get(path()).then().body("mode", equalTo("MANAGED_ONLY"));
    }

    @Test
    void lockedTenant_statusAnswersWithTheReason_butChangesGet423() {
        KeyVersionId key = newKey();
        TopicClient.publish(
                Topics.TENANT_LOCK_STATE,
                tenant,
                TenantLockState.locked(
                        tenant,
                        KeyAccessFailure.KEY_DISABLED,
                        "the key (or its latest version) is disabled",
                        Instant.now()));

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> asAdmin()
                        .get(path())
                        .then()
                        .statusCode(200)
                        .body("lock.status", equalTo("LOCKED"))
                        .body("lock.reason", containsString("disabled")));
        asAdmin()
                .contentType(ContentType.JSON)
                .body(KeyRequests.of(key.key().toString()))
                .put(path())
                .then()
                .statusCode(423)
                .contentType(PROBLEM)
                .body("detail", equalTo("tenant locked: the key (or its latest version) is disabled"));
        asAdmin().delete(path()).then().statusCode(423);
    }

    private static long outboxRows(String tenant) {
        try {
            return io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(
                    () -> io.quarkus.hibernate.reactive.panache.Panache.withSession(
                            () -> OutboxRecord.count("recordKey = ?1", tenant)));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static List<KeyConfigEvent> keyConfigEvents(String tenant, int expected) {
        return TopicClient.readUntil(
                Topics.TENANT_KEY_CONFIG,
                tenant,
                KeyConfigEvent.class,
                seen -> seen.size() >= expected,
                Duration.ofSeconds(30));
    }
}
