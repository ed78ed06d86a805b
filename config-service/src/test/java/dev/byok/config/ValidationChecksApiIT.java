package dev.byok.config;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.byok.emulator.Directories;
import dev.byok.emulator.EmulatedVault;
import dev.byok.emulator.EmulatorAdminClient;
import dev.byok.emulator.Faults;
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
import io.restassured.http.ContentType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Enabling with a key that fails exactly one validation check is refused with 422 naming that check.
 * (KEY_TYPE_RSA cannot be provoked: the emulator, like the product page, only makes RSA keys; the
 * check is covered by KeyValidator's own tests of the round trip.)
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KeyVaultEmulatorTestResource.class)
@QuarkusTestResource(JwtTestResource.class)
class ValidationChecksApiIT {
    private static final String VAULT = KeyVaultEmulatorEndpoint.VAULT;
    private final EmulatorAdminClient admin =
            new EmulatorAdminClient(KeyVaultEmulatorEndpoint.emulator().adminUri());

    enum BrokenKey {
        URI_FORM,
        VAULT_REACHABLE,
        FIREWALL,
        DIRECTORY_MATCHES,
        APP_REGISTERED,
        AUTHENTICATION,
        LIST_PERMISSION,
        KEY_EXISTS,
        KEY_ENABLED,
        KEY_ACTIVE,
        KEY_NOT_EXPIRED,
        KEY_OPERATIONS,
        WRAP_PERMITTED,
        UNWRAP_PERMITTED,
        PURGE_PROTECTION
    }

    @AfterEach
    void restore() {
        admin.clearFaults(VAULT);
        admin.setPermissions(VAULT, EmulatedVault.DEFAULT_PERMISSIONS);
        admin.registerApplication(Directories.DEFAULT_DIRECTORY, Directories.DEFAULT_CLIENT_ID);
    }

    @ParameterizedTest
    @EnumSource(BrokenKey.class)
    void keyFailingOneCheck_isRefusedWith422NamingIt(BrokenKey broken) {
        String tenant = "chk-" + UUID.randomUUID().toString().substring(0, 8);
        String keyUri = breakKey(broken, tenant);

        given().header("Authorization", "Bearer " + TestTokens.admin(tenant))
                .contentType(ContentType.JSON)
                .body(KeyRequests.of(keyUri))
                .put("/api/v1/tenants/" + tenant + "/encryption")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("detail", equalTo("failed checks: " + broken.name()))
                .body("report.checks.find { it.check == '" + broken.name() + "' }.status", equalTo("FAILED"));
    }

    private String breakKey(BrokenKey broken, String tenant) {
        String vault = switch (broken) {
            case PURGE_PROTECTION -> KeyVaultEmulatorEndpoint.VAULT_WITHOUT_PURGE_PROTECTION;
            case DIRECTORY_MATCHES ->
                KeyVaultEmulatorEndpoint.FABRIKAM_VAULT; // another customer's directory than the request names
            default -> VAULT;
        };
        KeyVersionId key = KeyVersionId.parse(admin.createKey(vault, tenant, "RSA", 2048));
        String name = key.key().name();
        switch (broken) {
            case URI_FORM -> {
                return key.key().vault() + "/secrets/" + name;
            }
            case VAULT_REACHABLE -> admin.setFaults(VAULT, Faults.unreachable(Faults.Unreachable.REFUSE));
            case FIREWALL -> admin.setFaults(VAULT, Faults.blockedByFirewall());
            // the customer removed the BYOK application from their directory: the vault refuses the cached token (CAE),
            // the new sign-in is refused by Entra (AADSTS700016)
            case APP_REGISTERED ->
                admin.unregisterApplication(Directories.DEFAULT_DIRECTORY, Directories.DEFAULT_CLIENT_ID);
            case AUTHENTICATION -> admin.setFaults(VAULT, Faults.tokensRejected());
            case LIST_PERMISSION -> admin.setPermissions(VAULT, Set.of("wrapKey", "unwrapKey"));
            case KEY_EXISTS -> {
                return key.key().vault() + "/keys/no-such-key-" + name;
            }
            case KEY_ENABLED -> admin.updateVersion(VAULT, name, key.version(), Map.of("enabled", false));
            case KEY_ACTIVE ->
                admin.updateVersion(
                        VAULT,
                        name,
                        key.version(),
                        Map.of("notBefore", Instant.now().plusSeconds(86_400).getEpochSecond()));
            case KEY_NOT_EXPIRED ->
                admin.updateVersion(
                        VAULT,
                        name,
                        key.version(),
                        Map.of("expires", Instant.now().minusSeconds(60).getEpochSecond()));
            case KEY_OPERATIONS ->
                admin.updateVersion(VAULT, name, key.version(), Map.of("keyOps", List.of("encrypt", "decrypt")));
            case WRAP_PERMITTED -> admin.setPermissions(VAULT, Set.of("list", "unwrapKey"));
            case UNWRAP_PERMITTED -> admin.setPermissions(VAULT, Set.of("list", "wrapKey"));
            case PURGE_PROTECTION, DIRECTORY_MATCHES -> {
                // the vault itself is the fault
            }
        }
        return key.key().toString();
    }
}
