package dev.byok.config;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.byok.infra.KeyRequests;
import dev.byok.model.KeyConfigEvent;
import dev.byok.model.ProtectionStatus;
import dev.byok.model.Topics;
import dev.byok.testsupport.JwtTestResource;
import dev.byok.testsupport.KafkaTestResource;
import dev.byok.testsupport.KeyVaultEmulatorTestResource;
import dev.byok.testsupport.PostgresTestResource;
import dev.byok.testsupport.TestTokens;
import dev.byok.testsupport.TopicClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Offboarding (crypto-shredding request) and the sweeper's protection report in the status. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KeyVaultEmulatorTestResource.class)
@QuarkusTestResource(JwtTestResource.class)
class OffboardingApiIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final String tenant = "off-" + UUID.randomUUID().toString().substring(0, 8);

    private RequestSpecification asAdmin() {
        return given().header("Authorization", "Bearer " + TestTokens.admin(tenant))
                .contentType("application/json");
    }

    private String path() {
        return "/api/v1/tenants/" + tenant + "/offboarding";
    }

    @Test
    void offboarding_needsConfirmation_isFinal_idempotent_andPublishedWithWhoAsked() {
        given().header("Authorization", "Bearer " + TestTokens.admin("someone-else"))
                .contentType("application/json")
                .body("{\"confirmTenantId\":\"" + tenant + "\"}")
                .post(path())
                .then()
                .statusCode(403);
        asAdmin().body("{}").post(path()).then().statusCode(400).body("detail", containsString("confirmTenantId"));
        asAdmin().body("{\"confirmTenantId\":\"other\"}").post(path()).then().statusCode(400);

        asAdmin()
                .body("{\"confirmTenantId\":\"" + tenant + "\"}")
                .post(path())
                .then()
                .statusCode(202)
                .body("mode", equalTo("OFFBOARDED"))
                .body("revision", equalTo(1));
        asAdmin()
                .body("{\"confirmTenantId\":\"" + tenant + "\"}")
                .post(path())
                .then()
                .statusCode(202)
                .body("revision", equalTo(1));

        asAdmin()
                .body(KeyRequests.json("https://x.vault.azure.net/keys/k"))
                .put("/api/v1/tenants/" + tenant + "/encryption")
                .then()
                .statusCode(410)
                .body("detail", containsString("offboarded"));
        asAdmin().delete("/api/v1/tenants/" + tenant + "/encryption").then().statusCode(410);

        List<KeyConfigEvent> events = TopicClient.readUntil(
                Topics.TENANT_KEY_CONFIG, tenant, KeyConfigEvent.class, found -> !found.isEmpty(), WAIT);
        assertThat(events)
                .singleElement()
                .isInstanceOfSatisfying(
                        KeyConfigEvent.TenantOffboarded.class,
                        e -> assertThat(e.requestedBy()).isNotBlank());
    }

    @Test
    void status_showsTheSweepersLatestProtectionReport() {
        TopicClient.publish(
                Topics.TENANT_PROTECTION,
                tenant,
                new ProtectionStatus(
                        tenant,
                        Instant.now(),
                        Optional.of("https://v/keys/k/1"),
                        7,
                        5,
                        Optional.of(Instant.now().minusSeconds(60)),
                        false,
                        List.of(),
                        Optional.empty(),
                        1,
                        Optional.empty(),
                        new ProtectionStatus.DekCount(1, 40),
                        ProtectionStatus.DekCount.NONE,
                        new ProtectionStatus.DekCount(5, 900),
                        Optional.of(Instant.now().minusSeconds(60))));

        await().atMost(WAIT)
                .untilAsserted(() -> asAdmin()
                        .get("/api/v1/tenants/" + tenant + "/encryption")
                        .then()
                        .statusCode(200)
                        .body("protection.deks", equalTo(7))
                        .body("protection.deksOnTarget", equalTo(5))
                        .body("protection.quarantinedDeks", equalTo(1))
                        .body("protection.temporary.deks", equalTo(1))
                        .body("protection.temporary.records", equalTo(40))
                        .body("protection.bornProtected.records", equalTo(900))
                        .body("protection.oldestTemporaryAt", notNullValue()));
    }
}
