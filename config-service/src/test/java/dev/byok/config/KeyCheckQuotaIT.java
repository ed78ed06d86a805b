package dev.byok.config;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;

import dev.byok.emulator.EmulatorAdminClient;
import dev.byok.infra.KeyRequests;
import dev.byok.kms.KeyVersionId;
import dev.byok.testsupport.JwtTestResource;
import dev.byok.testsupport.KafkaTestResource;
import dev.byok.testsupport.KeyVaultEmulatorEndpoint;
import dev.byok.testsupport.KeyVaultEmulatorTestResource;
import dev.byok.testsupport.PostgresTestResource;
import dev.byok.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Validate and enable reach the vault, so each tenant has a quota of them: over it, 429 with
 * Retry-After and not one Key Vault call; other tenants keep theirs.
 */
@QuarkusTest
@TestProfile(KeyCheckQuotaIT.ThreePerMinute.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KeyVaultEmulatorTestResource.class)
@QuarkusTestResource(JwtTestResource.class)
class KeyCheckQuotaIT {
    private static final String VAULT = KeyVaultEmulatorEndpoint.VAULT;
    private final EmulatorAdminClient admin =
            new EmulatorAdminClient(KeyVaultEmulatorEndpoint.emulator().adminUri());

    public static class ThreePerMinute implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("byok.validation.per-tenant-per-minute", "3");
        }
    }

    @Test
    void tenantOverItsQuota_gets429WithRetryAfter_beforeAnyKeyVaultCall_othersKeepTheirs() {
        String tenant = tenant();
        String keyUri = KeyVersionId.parse(admin.createKey(VAULT, tenant, "RSA", 2048))
                .key()
                .toString();
        for (int i = 0; i < 3; i++) {
            validate(tenant, keyUri).statusCode(200);
        }
        long vaultCallsBefore = vaultCalls();

        validate(tenant, keyUri)
                .statusCode(429)
                .header("Retry-After", matchesPattern("[1-9]|[1-5][0-9]|60"))
                .contentType("application/problem+json")
                .body("detail", containsString("3 times per minute"));
        enable(tenant, keyUri).statusCode(429);

        assertThat(vaultCalls()).isEqualTo(vaultCallsBefore);
        String other = tenant();
        validate(other, keyUri).statusCode(200); // another tenant's quota is its own (the key is checked, not granted)
    }

    private static String tenant() {
        return "quota-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private long vaultCalls() {
        return admin.counters(VAULT).getOrDefault("requests", 0L);
    }

    private static ValidatableResponse validate(String tenant, String keyUri) {
        return given().header("Authorization", "Bearer " + TestTokens.admin(tenant))
                .contentType(ContentType.JSON)
                .body(KeyRequests.of(keyUri))
                .post("/api/v1/tenants/" + tenant + "/encryption/validate")
                .then();
    }

    private static ValidatableResponse enable(String tenant, String keyUri) {
        return given().header("Authorization", "Bearer " + TestTokens.admin(tenant))
                .contentType(ContentType.JSON)
                .body(KeyRequests.of(keyUri))
                .put("/api/v1/tenants/" + tenant + "/encryption")
                .then();
    }
}
