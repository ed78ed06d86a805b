package dev.byok.config;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.byok.infra.KeyRequests;
import dev.byok.testsupport.JwtTestResource;
import dev.byok.testsupport.KafkaTestResource;
import dev.byok.testsupport.KeyVaultEmulatorTestResource;
import dev.byok.testsupport.PostgresTestResource;
import dev.byok.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What the admin API answers to bad input: a problem saying exactly what is wrong, and nothing stored. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KeyVaultEmulatorTestResource.class)
@QuarkusTestResource(JwtTestResource.class)
class EncryptionApiInputIT {
    private static final String PROBLEM = "application/problem+json";
    private final String tenant = "cfg-in-" + UUID.randomUUID().toString().substring(0, 8);

    private RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    private RequestSpecification asAdmin() {
        return as(TestTokens.admin(tenant));
    }

    private String path() {
        return "/api/v1/tenants/" + tenant + "/encryption";
    }

    @Test
    void badInput_getsAProblemSayingExactlyWhatIsWrong() {
        asAdmin()
                .contentType(ContentType.JSON)
                .body("{\"keyUri\": ")
                .put(path())
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("title", equalTo("Malformed JSON"));
        asAdmin()
                .contentType(ContentType.JSON)
                .body("{\"keyUri\":\"https://x.vault.azure.net/keys/k\",\"extra\":1}")
                .put(path())
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("detail", containsString("unknown field 'extra'"));
        asAdmin()
                .contentType(ContentType.JSON)
                .body("{}")
                .put(path())
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("title", equalTo("Missing key URI"));
        asAdmin()
                .contentType(ContentType.JSON)
                .body(Map.of("keyUri", "https://x.vault.azure.net/keys/k"))
                .put(path())
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("title", equalTo("Missing directory id"))
                .body("detail", containsString("\"directoryId\""));
        asAdmin()
                .contentType(ContentType.JSON)
                .body(Map.of("keyUri", "https://x.vault.azure.net/keys/k", "directoryId", "contoso.com"))
                .post(path() + "/validate")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("title", equalTo("Invalid directory id"));
        asAdmin()
                .contentType(ContentType.JSON)
                .body(KeyRequests.of("http://contoso.vault.azure.net/keys/k"))
                .put(path())
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("detail", equalTo("failed checks: URI_FORM"));
        as(TestTokens.admin("Bad_Tenant"))
                .get("/api/v1/tenants/Bad_Tenant/encryption")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("detail", containsString("tenant id must be"));
        asAdmin()
                .contentType(ContentType.JSON)
                .body(KeyRequests.of("https://contoso.vault.azure.net/keys/" + "k".repeat(1100)))
                .put(path())
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("detail", containsString("longer than 1024"));
        asAdmin()
                .contentType(ContentType.JSON)
                .body(KeyRequests.of("x".repeat(70_000)))
                .put(path())
                .then()
                .statusCode(413)
                .contentType(PROBLEM)
                .body("title", equalTo("Payload too large"));
    }

    @Test
    void openApi_andSwaggerUi_areServed() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/tenants/{tenantId}/encryption"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }
}
