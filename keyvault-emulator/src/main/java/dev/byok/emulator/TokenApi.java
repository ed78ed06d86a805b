package dev.byok.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The emulator's sign-in: Entra's v2.0 token endpoint, {@code POST /{directory}/oauth2/v2.0/token},
 * for the client-credentials grant with a client secret or a certificate-signed client assertion —
 * what azure-identity's {@code ClientSecretCredential} and {@code ClientCertificateCredential} send
 * when their authority host points here (with instance discovery disabled). Errors carry Entra's
 * error, AADSTS code and description.
 */
final class TokenApi implements HttpHandler {
    private static final int MAX_FORM_BYTES = 64 * 1024;

    private final Directories directories;
    private final EmulatorTokens tokens;

    TokenApi(Directories directories, EmulatorTokens tokens) {
        this.directories = directories;
        this.tokens = tokens;
    }

    private record Reply(int status, ObjectNode body) {}

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] path = exchange.getRequestURI().getPath().split("/", -1);
            if (!"POST".equals(exchange.getRequestMethod())
                    || path.length != 5
                    || !"oauth2".equals(path[2])
                    || !"v2.0".equals(path[3])
                    || !"token".equals(path[4])) {
                HttpReplies.send(
                        exchange,
                        404,
                        error(
                                "invalid_request",
                                900561,
                                "The endpoint only accepts POST requests to /{tenant}/oauth2/v2.0/token."));
                return;
            }
            // the audience a client assertion must name: this endpoint, as the client addressed it
            String endpoint = "https://" + exchange.getRequestHeaders().getFirst("Host")
                    + exchange.getRequestURI().getPath();
            Reply reply = answer(path[1], form(HttpReplies.readBody(exchange, MAX_FORM_BYTES)), endpoint);
            HttpReplies.send(exchange, reply.status(), reply.body());
        } catch (KeyVaultError | IllegalArgumentException e) { // an over-long body, a malformed %-escape
            HttpReplies.send(exchange, 400, error("invalid_request", 900144, e.getMessage()));
        }
    }

    /** Entra's checks, in its order: grant, tenant, client credential, service principal in the tenant, scope. */
    private Reply answer(String directory, Map<String, String> form, String endpoint) {
        String clientId = form.getOrDefault("client_id", "");
        if (!"client_credentials".equals(form.get("grant_type"))) {
            return new Reply(
                    400, error("unsupported_grant_type", 70003, "The app requested an unsupported grant type."));
        }
        if (!directories.knows(directory)) {
            return new Reply(400, error("invalid_request", 90002, "Tenant '" + directory + "' not found."));
        }
        if (form.containsKey("client_assertion")) {
            if (!ClientAssertions.TYPE.equals(form.get("client_assertion_type"))) {
                return new Reply(
                        400,
                        error(
                                "invalid_request",
                                900144,
                                "The request body must contain the following parameter:"
                                        + " 'client_assertion_type'."));
            }
            Optional<ClientAssertions.Refusal> refusal = ClientAssertions.check(
                    form.get("client_assertion"), clientId, endpoint, directories, Instant.now());
            if (refusal.isPresent()) {
                return new Reply(
                        401,
                        error(
                                "invalid_client",
                                refusal.get().aadsts(),
                                refusal.get().description()));
            }
        } else if (!directories.secretMatches(clientId, form.getOrDefault("client_secret", ""))) {
            return new Reply(
                    401,
                    error(
                            "invalid_client",
                            7000215,
                            "Invalid client secret provided. Ensure the secret being sent in the"
                                    + " request is the client secret value, not the client secret ID, for a secret added to app '"
                                    + clientId + "'."));
        }
        if (!directories.hasServicePrincipal(directory, clientId)) {
            return new Reply(
                    400,
                    error(
                            "unauthorized_client",
                            700016,
                            "Application with identifier '" + clientId + "' was not found"
                                    + " in the directory '" + directory
                                    + "'. This can happen if the application has not been installed by the"
                                    + " administrator of the tenant or consented to by any user in the tenant."));
        }
        if (!(KeyVaultEmulator.RESOURCE + "/.default").equals(resourceScope(form.getOrDefault("scope", "")))) {
            return new Reply(
                    400,
                    error(
                            "invalid_scope",
                            500011,
                            "The resource principal named " + form.get("scope") + " was not found in the tenant named "
                                    + directory + "."));
        }
        long expiresIn = EmulatorTokens.LIFETIME.toSeconds() - 1;
        return new Reply(
                200,
                KeyBundles.JSON
                        .createObjectNode()
                        .put("token_type", "Bearer")
                        .put("expires_in", expiresIn)
                        .put("ext_expires_in", expiresIn)
                        .put(
                                "access_token",
                                tokens.issue(clientId, directory, KeyVaultEmulator.RESOURCE, Instant.now())));
    }

    /** The requested scope without the OpenID ones MSAL always adds (Entra ignores them for this grant). */
    private static String resourceScope(String scope) {
        return String.join(
                " ",
                java.util.Arrays.stream(scope.trim().split("\\s+"))
                        .filter(s -> !java.util.Set.of("openid", "profile", "offline_access")
                                .contains(s))
                        .toList());
    }

    private static ObjectNode error(String error, int aadsts, String description) {
        ObjectNode out = KeyBundles.JSON
                .createObjectNode()
                .put("error", error)
                .put("error_description", "AADSTS" + aadsts + ": " + description + " Trace ID: " + UUID.randomUUID());
        out.putArray("error_codes").add(aadsts);
        return out.put("timestamp", Instant.now().toString())
                .put("trace_id", UUID.randomUUID().toString())
                .put("correlation_id", UUID.randomUUID().toString());
    }

    private static Map<String, String> form(byte[] body) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.putIfAbsent(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return fields;
    }
}
