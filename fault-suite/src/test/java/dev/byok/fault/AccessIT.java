package dev.byok.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byok.infra.KeyRequests;
import dev.byok.testsupport.TestTokens;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The access matrix of every tenant API (admin and read): each refuses a missing, expired, wrongly
 * signed, role-less and other-tenant token, changes nothing when it refuses, and answers the tenant's
 * own valid token.
 */
@Order(4)
@ExtendWith(Suite.Resolver.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessIT {
    private record Endpoint(String service, String method, String path, String body) {
        String name() {
            return method + " " + path.replace("/api/v1/tenants/", "…/");
        }
    }

    private final Suite suite;

    AccessIT(Suite suite) {
        this.suite = suite;
    }

    @Test
    void everyTenantApi_refusesEveryBadToken_andChangesNothing() throws Exception {
        String tenant = "access-" + suite.run;
        String keyUri = suite.stack.sampleKeyUri();
        String base = "/api/v1/tenants/" + tenant;
        List<Endpoint> endpoints = List.of(
                new Endpoint("crypto-service", "GET", base + "/events", null),
                new Endpoint("config-service", "GET", base + "/encryption", null),
                new Endpoint("config-service", "POST", base + "/encryption/validate", KeyRequests.json(keyUri)),
                new Endpoint("config-service", "PUT", base + "/encryption", KeyRequests.json(keyUri)),
                new Endpoint("config-service", "DELETE", base + "/encryption", null),
                new Endpoint(
                        "config-service", "POST", base + "/offboarding", "{\"confirmTenantId\":\"" + tenant + "\"}"));
        Map<String, Function<String, String>> badTokens = new LinkedHashMap<>();
        badTokens.put("missing", t -> null);
        badTokens.put("expired", t -> TestTokens.expired(suite.stack.devTokenKey(), t));
        badTokens.put("wrongly signed", TestTokens::wronglySigned);
        badTokens.put("without the tenant-admin role", t -> TestTokens.withoutRole(suite.stack.devTokenKey(), t));
        badTokens.put("another tenant's", t -> suite.token("intruder-" + suite.run));
        Map<String, Integer> expected = Map.of(
                "missing",
                401,
                "expired",
                401,
                "wrongly signed",
                401,
                "without the tenant-admin role",
                403,
                "another tenant's",
                403);
        suite.produce(tenant, 10).get();

        List<String> wrong = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            for (Map.Entry<String, Function<String, String>> token : badTokens.entrySet()) {
                HttpResponse<String> response = suite.call(
                        endpoint.service(),
                        endpoint.method(),
                        endpoint.path(),
                        token.getValue().apply(tenant),
                        endpoint.body());
                if (response.statusCode() != expected.get(token.getKey())) {
                    wrong.add(endpoint.name() + " with a " + token.getKey() + " token answered " + response.statusCode()
                            + ": " + response.body());
                }
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(suite.status(tenant).path("mode").asText())
                .as("refused calls changed nothing")
                .isEqualTo("MANAGED_ONLY");

        for (Endpoint endpoint : endpoints) { // the tenant's own token, in an order where each call is valid
            HttpResponse<String> response = suite.call(
                    endpoint.service(), endpoint.method(), endpoint.path(), suite.token(tenant), endpoint.body());
            assertThat(response.statusCode())
                    .as(endpoint.name() + ": " + response.body())
                    .isBetween(200, 202);
        }
        assertThat(suite.status(tenant).path("mode").asText()).isEqualTo("OFFBOARDED");
        suite.results.add(
                "Access matrix: %d tenant APIs (read API, status, validate, enable, disable, offboarding) × %d bad tokens (%s)"
                        .formatted(endpoints.size(), badTokens.size(), String.join(", ", badTokens.keySet())),
                "401 for missing, expired and wrongly signed; 403 without the role or for another "
                        + "tenant; nothing changed; the tenant's own token works",
                ("all %d refused as expected; the tenant stayed MANAGED_ONLY; its own token then "
                                + "read, validated, enabled, disabled and offboarded")
                        .formatted(endpoints.size() * badTokens.size()));
    }
}
