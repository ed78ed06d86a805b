package dev.byok.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Reading requests and writing Key Vault-shaped answers: JSON bodies, error bodies, the auth challenge. */
final class HttpReplies {
    private HttpReplies() {}

    static byte[] readBody(HttpExchange exchange, int maxBytes) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(maxBytes + 1);
            if (body.length > maxBytes) {
                throw KeyVaultError.badParameter("The request body is too large.");
            }
            return body;
        }
    }

    /**
     * Key Vault's challenge: the vault's directory in the authorization URI, and the emulator's own
     * resource (as a real vault names https://vault.azure.net).
     */
    static void challenge(HttpExchange exchange, String directory) throws IOException {
        exchange.getResponseHeaders()
                .add(
                        "WWW-Authenticate",
                        "Bearer authorization=\"https://login.microsoftonline.com/" + directory + "\", resource=\""
                                + KeyVaultEmulator.RESOURCE + "\"");
        send(exchange, 401, error("Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.", null));
    }

    static void sendError(HttpExchange exchange, KeyVaultError e) throws IOException {
        if (e.retryAfterSeconds != null) {
            exchange.getResponseHeaders().add("Retry-After", Integer.toString(e.retryAfterSeconds));
        }
        if (e.challenge != null) {
            exchange.getResponseHeaders().add("WWW-Authenticate", e.challenge);
        }
        send(exchange, e.status, error(e.code, e.getMessage(), e.innerCode));
    }

    static ObjectNode error(String code, String message, String innerCode) {
        ObjectNode out = KeyBundles.JSON.createObjectNode();
        ObjectNode error = out.putObject("error");
        error.put("code", code);
        error.put("message", message);
        if (innerCode != null) {
            error.putObject("innererror").put("code", innerCode);
        }
        return out;
    }

    static void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : KeyBundles.JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
