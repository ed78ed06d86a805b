package dev.byok.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byok.kms.KeyRef;
import dev.byok.kms.KeyVersionId;
import dev.byok.service.KmsStack;
import dev.byok.service.Problem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Azure Event Grid webhook for {@code Microsoft.KeyVault.KeyNewVersionCreated}: rolls the tenants
 * using that key at once instead of at the next poll. Accepts the Event Grid schema (a JSON array,
 * with its subscription-validation handshake) and the CloudEvents 1.0 schema (single or batch, with
 * its OPTIONS abuse-protection handshake). The subscription's endpoint URL carries a shared secret
 * ({@code ?secret=}) that must equal {@code byok.eventgrid.secret}; without that setting the webhook
 * is off.
 */
@Path("/api/v1/webhooks/event-grid")
public class EventGridWebhook {
    static final String NEW_VERSION = "Microsoft.KeyVault.KeyNewVersionCreated";
    static final String VALIDATION = "Microsoft.EventGrid.SubscriptionValidationEvent";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Optional<String> secret;
    private final KeyRoll roll;
    private final KmsStack kms;

    EventGridWebhook(
            @ConfigProperty(name = "byok.eventgrid.secret") Optional<String> secret, KeyRoll roll, KmsStack kms) {
        this.secret = secret.filter(s -> !s.isBlank());
        this.roll = roll;
        this.kms = kms;
    }

    @OPTIONS
    @Operation(summary = "CloudEvents abuse-protection handshake")
    public Response handshake(@HeaderParam("WebHook-Request-Origin") String origin) {
        if (origin == null || origin.isBlank()) {
            throw new Problem(
                    400, "Missing origin", "the CloudEvents handshake needs the WebHook-Request-Origin header");
        }
        return Response.ok()
                .header("WebHook-Allowed-Origin", origin)
                .header("WebHook-Allowed-Rate", "*")
                .build();
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, "application/cloudevents+json", "application/cloudevents-batch+json"})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Event Grid / CloudEvents delivery: key new version created → roll at once")
    public Uni<Map<String, Object>> deliver(@QueryParam("secret") String presented, String body) {
        requireSecret(presented);
        List<JsonNode> events = events(body);
        List<KeyRef> newVersions = new ArrayList<>();
        for (JsonNode event : events) {
            String type = event.has("eventType")
                    ? event.path("eventType").asText()
                    : event.path("type").asText();
            JsonNode data = event.path("data");
            if (VALIDATION.equals(type)) {
                return Uni.createFrom()
                        .item(Map.of(
                                "validationResponse",
                                data.path("validationCode").asText()));
            }
            if (NEW_VERSION.equals(type)) {
                newVersions.add(keyOf(data));
            }
        }
        return Multi.createFrom()
                .iterable(newVersions)
                .onItem()
                .transformToUniAndConcatenate(this::rollTenantsOf)
                .collect()
                .asList()
                .map(counts -> Map.of(
                        "rolled", counts.stream().mapToInt(Integer::intValue).sum()));
    }

    private Uni<Integer> rollTenantsOf(KeyRef key) {
        return Panache.withSession(() -> TenantEncryption.<TenantEncryption>list("byokEnabled", true))
                .map(all -> all.stream().filter(s -> uses(s, key)).toList())
                .flatMap(tenants -> Multi.createFrom()
                        .iterable(tenants)
                        .onItem()
                        .transformToUniAndConcatenate(s -> roll.check(s))
                        .collect()
                        .asList())
                .map(results ->
                        (int) results.stream().filter(Boolean::booleanValue).count());
    }

    private boolean uses(TenantEncryption s, KeyRef key) {
        KeyRef configured = kms.keyOf(s.keyUri);
        return configured.provider().equals(key.provider())
                && configured.vault().equals(key.vault())
                && configured.name().equalsIgnoreCase(key.name());
    }

    private static KeyRef keyOf(JsonNode data) {
        try {
            return KeyVersionId.parse(data.path("Id").asText(data.path("id").asText()))
                    .key();
        } catch (IllegalArgumentException e) {
            throw new Problem(
                    400, "Invalid event", "a KeyNewVersionCreated event needs data.Id = the new version's key id");
        }
    }

    private static List<JsonNode> events(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body == null ? "" : body);
        } catch (IOException e) {
            throw new Problem(400, "Malformed JSON", "the delivery is not valid JSON");
        }
        if (root == null || !(root.isArray() || root.isObject())) {
            throw new Problem(400, "Invalid delivery", "expected an event, or an array of events");
        }
        List<JsonNode> events = new ArrayList<>();
        if (root.isArray()) {
            root.forEach(events::add);
        } else {
            events.add(root);
        }
        return events;
    }

    private void requireSecret(String presented) {
        if (secret.isEmpty()) {
            throw new Problem(404, "Webhook disabled", "set byok.eventgrid.secret to accept Event Grid deliveries");
        }
        byte[] expected = secret.get().getBytes(StandardCharsets.UTF_8);
        byte[] given = (presented == null ? "" : presented).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, given)) {
            throw new Problem(401, "Wrong secret", "the delivery URL's secret does not match this subscription's");
        }
    }
}
