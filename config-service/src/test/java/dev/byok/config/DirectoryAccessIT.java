package dev.byok.config;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.byok.emulator.Directories;
import dev.byok.emulator.EmulatorAdminClient;
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
 * The access matrix of customer keys across directories, with the production setting of one
 * directory per tenant: a tenant naming another customer's vault under its own directory, or another
 * customer's directory, is refused with DIRECTORY_MATCHES, and that customer's vault never sees a
 * token and nothing of its key appears in the answer; a directory that has not registered the BYOK
 * application gets the registration remedy.
 */
@QuarkusTest
@TestProfile(DirectoryAccessIT.OneTenantPerDirectory.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KeyVaultEmulatorTestResource.class)
@QuarkusTestResource(JwtTestResource.class)
class DirectoryAccessIT {
    private static final String FABRIKAM = KeyVaultEmulatorEndpoint.FABRIKAM_DIRECTORY;
    private static final String FABRIKAM_VAULT = KeyVaultEmulatorEndpoint.FABRIKAM_VAULT;
    private final EmulatorAdminClient admin =
            new EmulatorAdminClient(KeyVaultEmulatorEndpoint.emulator().adminUri());

    public static class OneTenantPerDirectory implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("byok.directory.exclusive", "true");
        }
    }

    @Test
    void anotherCustomersVault_underTheTenantsOwnDirectory_getsNoToken_andNothingOfItsKeyIsDisclosed() {
        KeyVersionId theirs = KeyVersionId.parse(admin.createKey(FABRIKAM_VAULT, "victim-" + suffix(), "RSA", 2048));
        String attacker = "attacker-" + suffix();
        long tokensBefore = tokensSeenBy(FABRIKAM_VAULT);

        validate(attacker, theirs.key().toString(), Directories.DEFAULT_DIRECTORY)
                .statusCode(200)
                .body("passed", equalTo(false))
                .body(check("DIRECTORY_MATCHES") + ".status", equalTo("FAILED"))
                .body(check("DIRECTORY_MATCHES") + ".remedy", containsString("Directory ID"))
                .body(check("KEY_EXISTS") + ".status", equalTo("NOT_CHECKED"))
                .body(not(containsString(theirs.version())));
        enable(attacker, theirs.key().toString(), Directories.DEFAULT_DIRECTORY)
                .statusCode(422)
                .body("detail", equalTo("failed checks: DIRECTORY_MATCHES"))
                .body(not(containsString(theirs.version())));

        assertThat(tokensSeenBy(FABRIKAM_VAULT))
                .as("requests to the other customer's vault carrying a token")
                .isEqualTo(tokensBefore);
    }

    @Test
    void anotherTenantsDirectory_isRefusedBeforeAnyVaultCall_andATenantKeepsItsOwn() {
        String owner = "fabrikam-" + suffix();
        KeyVersionId ownersKey = KeyVersionId.parse(admin.createKey(FABRIKAM_VAULT, owner, "RSA", 2048));
        enable(owner, ownersKey.key().toString(), FABRIKAM).statusCode(200).body("directoryId", equalTo(FABRIKAM));
        String attacker = "attacker-" + suffix();
        long tokensBefore = tokensSeenBy(FABRIKAM_VAULT);

        validate(attacker, ownersKey.key().toString(), FABRIKAM)
                .statusCode(200)
                .body("passed", equalTo(false))
                .body(
                        check("DIRECTORY_MATCHES") + ".detail",
                        equalTo("the directory is bound to another tenant of this service"))
                .body(not(containsString(ownersKey.version())));
        enable(attacker, ownersKey.key().toString(), FABRIKAM)
                .statusCode(422)
                .body("detail", equalTo("failed checks: DIRECTORY_MATCHES"));
        assertThat(tokensSeenBy(FABRIKAM_VAULT)).isEqualTo(tokensBefore);

        KeyVersionId elsewhere =
                KeyVersionId.parse(admin.createKey(KeyVaultEmulatorEndpoint.VAULT, owner, "RSA", 2048));
        enable(owner, elsewhere.key().toString(), Directories.DEFAULT_DIRECTORY)
                .statusCode(422)
                .body(
                        "report.checks.find { it.check == 'DIRECTORY_MATCHES' }.detail",
                        containsString("bound at its first enable"));
    }

    @Test
    void directoryThatHasNotRegisteredTheApplication_failsAppRegistered_withTheRegistrationRemedy() {
        String litware = KeyVaultEmulatorEndpoint.LITWARE_DIRECTORY;
        String tenant = "litware-" + suffix();
        KeyVersionId key =
                KeyVersionId.parse(admin.createKey(KeyVaultEmulatorEndpoint.LITWARE_VAULT, tenant, "RSA", 2048));
        admin.unregisterApplication(litware, Directories.DEFAULT_CLIENT_ID);
        try {
            validate(tenant, key.key().toString(), litware)
                    .statusCode(200)
                    .body("passed", equalTo(false))
                    .body(check("DIRECTORY_MATCHES") + ".status", equalTo("PASSED"))
                    .body(check("APP_REGISTERED") + ".status", equalTo("FAILED"))
                    .body(check("APP_REGISTERED") + ".remedy", containsString("New-MgServicePrincipal"));
        } finally {
            admin.registerApplication(litware, Directories.DEFAULT_CLIENT_ID);
        }
        validate(tenant, key.key().toString(), litware).statusCode(200).body("passed", equalTo(true));
    }

    private static String check(String name) {
        return "checks.find { it.check == '" + name + "' }";
    }

    private long tokensSeenBy(String vault) {
        return admin.counters(vault).getOrDefault("with-token", 0L);
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static ValidatableResponse validate(String tenant, String keyUri, String directory) {
        return given().header("Authorization", "Bearer " + TestTokens.admin(tenant))
                .contentType(ContentType.JSON)
                .body(Map.of("keyUri", keyUri, "directoryId", directory))
                .post("/api/v1/tenants/" + tenant + "/encryption/validate")
                .then();
    }

    private static ValidatableResponse enable(String tenant, String keyUri, String directory) {
        return given().header("Authorization", "Bearer " + TestTokens.admin(tenant))
                .contentType(ContentType.JSON)
                .body(Map.of("keyUri", keyUri, "directoryId", directory))
                .put("/api/v1/tenants/" + tenant + "/encryption")
                .then();
    }
}
