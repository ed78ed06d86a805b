package dev.byok.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Key Vault keys REST API subset the Azure SDK uses, for one vault: challenge authentication,
 * create / rotate / get / list versions / update / delete / deleted keys / recover / purge, and
 * wrapkey / unwrapkey with RSA-OAEP-256 and RSA-OAEP. Errors carry Key Vault's status, code and
 * inner code, so the SDK surfaces them exactly as it would against the real service.
 */
final class KeysApi implements HttpHandler {
    private static final Logger LOG = Logger.getLogger(KeysApi.class.getName());
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final EmulatedVault vault;
    private final String vaultUrl;
    private final VaultAccess access;

    KeysApi(
            EmulatedVault vault,
            String vaultUrl,
            String serviceToken,
            String adminToken,
            EmulatorTokens tokens,
            Directories directories) {
        this.vault = vault;
        this.vaultUrl = vaultUrl;
        this.access = new VaultAccess(vault, serviceToken, adminToken, tokens, directories);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            vault.count("requests");
            Faults faults = vault.faults();
            if (faults.unreachable() == Faults.Unreachable.SILENT) {
                vault.awaitWhileSilent();
                return; // closed without an answer
            }
            if (faults.latencyMs() > 0) {
                Thread.sleep(faults.latencyMs()); // the injected fault itself
            }
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.startsWith("Bearer ")) {
                HttpReplies.challenge(exchange, vault.directory);
                return;
            }
            vault.count("with-token"); // tests prove which vaults never saw a token
            try {
                byte[] body = HttpReplies.readBody(exchange, MAX_BODY_BYTES);
                VaultAccess.Caller principal = access.caller(auth.substring("Bearer ".length()), faults);
                checkFaults(faults);
                ObjectNode response = route(
                        exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), body, principal);
                HttpReplies.send(
                        exchange, response == null ? 204 : 200, response); // purge answers 204, as Key Vault does
            } catch (KeyVaultError e) {
                HttpReplies.sendError(exchange, e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "emulator request failed", e);
        }
    }

    private void checkFaults(Faults faults) {
        if (faults.firewallBlocked()) {
            throw KeyVaultError.forbidden(
                    "ForbiddenByFirewall", "Client address is not authorized and caller is not a trusted service.");
        }
        if (vault.takeServerError()) {
            throw new KeyVaultError(
                    500, "InternalServerError", "The service encountered an internal error.", null, null);
        }
        if (faults.throttleRetryAfterSeconds() != null) {
            vault.count("throttled");
            throw KeyVaultError.throttled(faults.throttleRetryAfterSeconds());
        }
        int retryAfter = vault.overBudget();
        if (retryAfter > 0) {
            vault.count("throttled"); // every 429 is counted: benchmarks assert there were none
            throw KeyVaultError.throttled(retryAfter);
        }
    }

    private ObjectNode route(String method, String path, byte[] body, VaultAccess.Caller principal) {
        String[] p = path.split("/", -1);
        if (p.length >= 3 && "keys".equals(p[1])) {
            String name = p[2];
            String sub = p.length > 3 ? p[3] : "";
            if (p.length == 4 && "POST".equals(method) && "create".equals(sub)) {
                access.require(principal, "create");
                vault.count("create");
                JsonNode req = json(body);
                String version = vault.createKey(
                        name,
                        req.path("kty").asText("RSA"),
                        req.path("key_size").asInt(2048),
                        strings(req.get("key_ops")));
                JsonNode attributes = req.path("attributes");
                vault.update(
                        name,
                        version,
                        attributes.has("enabled") ? attributes.get("enabled").asBoolean() : null,
                        attributes.has("nbf") ? attributes.get("nbf").asLong() : null,
                        attributes.has("exp") ? attributes.get("exp").asLong() : null,
                        null);
                return bundle(name, version);
            }
            if (p.length == 4 && "POST".equals(method) && "rotate".equals(sub)) {
                access.requireAdmin(principal, "rotate");
                vault.count("rotate");
                return bundle(name, vault.rotate(name));
            }
            if (p.length == 4 && "GET".equals(method) && "versions".equals(sub)) {
                access.require(principal, "list");
                vault.count("versions");
                return versions(name);
            }
            if ((p.length == 3 || p.length == 4) && "GET".equals(method)) {
                access.require(principal, "get");
                vault.count("get");
                KeyVersion v = version(name, sub);
                if (!v.enabled) {
                    throw KeyVaultError.forbidden("KeyDisabled", "Operation get is not allowed on a disabled key.");
                }
                return KeyBundles.bundle(vaultUrl, vault, name, v);
            }
            if (p.length == 3 && "DELETE".equals(method)) {
                access.require(principal, "delete");
                vault.count("delete");
                return KeyBundles.deleted(vaultUrl, vault, vault.delete(name));
            }
            if (p.length == 4 && "PATCH".equals(method)) {
                access.requireAdmin(principal, "update");
                vault.count("update");
                JsonNode req = json(body);
                JsonNode a = req.path("attributes");
                vault.update(
                        name,
                        sub,
                        a.has("enabled") ? a.get("enabled").asBoolean() : null,
                        a.has("nbf") ? a.get("nbf").asLong() : null,
                        a.has("exp") ? a.get("exp").asLong() : null,
                        req.has("key_ops") ? strings(req.get("key_ops")) : null);
                return KeyBundles.bundle(vaultUrl, vault, name, version(name, sub));
            }
            if (p.length == 5 && "POST".equals(method) && ("wrapkey".equals(p[4]) || "unwrapkey".equals(p[4]))) {
                return crypto(principal, name, sub, p[4], json(body));
            }
        }
        if (p.length >= 3 && "deletedkeys".equals(p[1])) {
            String name = p[2];
            if (p.length == 3 && "GET".equals(method)) {
                access.require(principal, "get");
                vault.count("getdeleted");
                EmulatedKey key = vault.deletedKeys.get(name);
                if (key == null) {
                    throw new KeyVaultError(404, "DeletedKeyNotFound", "Deleted Key not found: " + name, null, null);
                }
                return KeyBundles.deleted(vaultUrl, vault, key);
            }
            if (p.length == 4 && "POST".equals(method) && "recover".equals(p[3])) {
                access.requireAdmin(principal, "recover");
                vault.count("recover");
                EmulatedKey key = vault.recover(name);
                return KeyBundles.bundle(vaultUrl, vault, name, key.latest());
            }
            if (p.length == 3 && "DELETE".equals(method)) {
                access.require(principal, "purge");
                vault.count("purge");
                vault.purge(name);
                return null;
            }
        }
        throw new KeyVaultError(400, "BadParameter", "The emulator does not serve " + method + " " + path, null, null);
    }

    private ObjectNode crypto(
            VaultAccess.Caller principal, String name, String versionId, String operation, JsonNode req) {
        boolean wrap = "wrapkey".equals(operation);
        String permission = wrap ? "wrapKey" : "unwrapKey";
        access.require(principal, permission);
        vault.count(operation);
        KeyVersion v = version(name, versionId);
        long now = Instant.now().getEpochSecond();
        if (!v.enabled && !(wrap && vault.disabledKeysWrap())) {
            throw KeyVaultError.forbidden(
                    "KeyDisabled", "Operation " + permission + " is not allowed on a disabled key.");
        }
        if (v.notBefore != null && now < v.notBefore) {
            throw KeyVaultError.forbidden(
                    "KeyNotYetValid",
                    "Operation " + permission + " is not allowed on a key before its activation date.");
        }
        if (wrap && v.expires != null && now >= v.expires) {
            throw KeyVaultError.forbidden("KeyExpired", "Operation wrapKey is not allowed on an expired key.");
        }
        if (!v.keyOps.contains(permission)) {
            throw new KeyVaultError(
                    403,
                    "KeyOperationForbidden",
                    "Operation " + permission + " is not permitted on this key.",
                    "KeyOperationForbidden",
                    null);
        }
        byte[] input = KeyBundles.fromBase64Url(req.path("value").asText(""));
        byte[] output = RsaWrap.apply(wrap, req.path("alg").asText(""), v, input);
        ObjectNode out = KeyBundles.JSON.createObjectNode();
        out.put("kid", KeyBundles.kid(vaultUrl, name, v));
        out.put("value", KeyBundles.base64Url(output));
        return out;
    }

    private ObjectNode bundle(String name, String version) {
        return KeyBundles.bundle(vaultUrl, vault, name, version(name, version));
    }

    private ObjectNode versions(String name) {
        ObjectNode out = KeyBundles.JSON.createObjectNode();
        ArrayNode value = out.putArray("value");
        vault.existing(name).versions.forEach(v -> value.add(KeyBundles.item(vaultUrl, vault, name, v)));
        out.putNull("nextLink");
        return out;
    }

    private KeyVersion version(String name, String version) {
        return vault.existing(name).version(version).orElseThrow(() -> KeyVaultError.keyNotFound(name + "/" + version));
    }

    private static JsonNode json(byte[] body) {
        try {
            return body.length == 0 ? KeyBundles.JSON.createObjectNode() : KeyBundles.JSON.readTree(body);
        } catch (IOException e) {
            throw KeyVaultError.badParameter("The request body is not valid JSON.");
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
    }
}
