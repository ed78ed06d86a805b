package dev.byok.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Plain-HTTP admin API on loopback, for tests, demos and the local stack (all JSON):
 * <pre>
 * GET    /admin/vaults                                  vaults with their URIs and recovery levels
 * POST   /admin/vaults/{v}/keys/{name}                  create (body: kty, keySize, keyOps) -> {kid}
 * POST   /admin/vaults/{v}/keys/{name}/rotate           new version -> {kid}
 * PATCH  /admin/vaults/{v}/keys/{name}/{version}        enabled, notBefore, expires (epoch s; 0 clears), keyOps
 * DELETE /admin/vaults/{v}/keys/{name}                  delete (soft when the vault has soft-delete)
 * POST   /admin/vaults/{v}/keys/{name}/recover          recover a soft-deleted key
 * GET|PUT /admin/vaults/{v}/permissions                 {"granted": ["list","get","wrapKey","unwrapKey"]}
 * GET|PUT|DELETE /admin/vaults/{v}/faults               see {@link Faults}; DELETE lifts all
 * GET|DELETE /admin/vaults/{v}/counters                 operations served; DELETE resets
 * GET|PUT /admin/vaults/{v}/semantics                    {"disabledKeysWrap":true}: wrapKey works with a disabled key
 * PUT|DELETE /admin/directories/{d}/service-principals/{clientId}
 *                                                       register (or remove) an application in directory d:
 *                                                       what New-MgServicePrincipal -AppId does in Entra
 * </pre>
 */
final class AdminApi implements HttpHandler {
    private final KeyVaultEmulator emulator;

    AdminApi(KeyVaultEmulator emulator) {
        this.emulator = emulator;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readNBytes(64 * 1024);
                }
                HttpReplies.send(
                        exchange,
                        200,
                        route(
                                exchange.getRequestMethod(),
                                exchange.getRequestURI().getPath(),
                                body));
            } catch (NoSuchElementException e) {
                HttpReplies.send(exchange, 404, problem(e.getMessage()));
            } catch (KeyVaultError e) {
                HttpReplies.send(exchange, e.status, problem(e.getMessage()));
            } catch (IllegalArgumentException | IOException e) {
                HttpReplies.send(exchange, 400, problem(e.getMessage()));
            }
        }
    }

    private ObjectNode route(String method, String path, byte[] body) throws IOException {
        String[] p = path.split("/", -1);
        if (p.length == 3 && "vaults".equals(p[2]) && "GET".equals(method)) {
            ObjectNode out = KeyBundles.JSON.createObjectNode();
            ArrayNode list = out.putArray("vaults");
            for (String name : emulator.vaultNames()) {
                list.addObject()
                        .put("name", name)
                        .put("uri", emulator.vaultUri(name).toString())
                        .put("recoveryLevel", emulator.vault(name).recoveryLevel());
            }
            return out;
        }
        if (p.length == 6 && "directories".equals(p[2]) && "service-principals".equals(p[4])) {
            return servicePrincipal(method, p[3], p[5]);
        }
        if (p.length < 5 || !"vaults".equals(p[2])) {
            throw new NoSuchElementException("no admin resource " + path);
        }
        String vaultName = p[3];
        EmulatedVault vault = emulator.vault(vaultName);
        String resource = p[4];
        JsonNode req = body.length == 0 ? KeyBundles.JSON.createObjectNode() : KeyBundles.JSON.readTree(body);
        switch (resource) {
            case "keys":
                return keys(vaultName, vault, method, p, req);
            case "permissions":
                if ("PUT".equals(method)) {
                    List<String> granted = new ArrayList<>();
                    req.path("granted").forEach(n -> granted.add(n.asText()));
                    vault.setPermissions(new HashSet<>(granted));
                }
                ObjectNode perms = KeyBundles.JSON.createObjectNode();
                vault.permissions().stream().sorted().forEach(perms.putArray("granted")::add);
                return perms;
            case "faults":
                if ("PUT".equals(method)) {
                    emulator.setFaults(vaultName, KeyBundles.JSON.treeToValue(req, Faults.class));
                } else if ("DELETE".equals(method)) {
                    emulator.setFaults(vaultName, Faults.NONE);
                }
                return KeyBundles.JSON.valueToTree(vault.faults());
            case "semantics":
                if ("PUT".equals(method) && req.has("disabledKeysWrap")) {
                    vault.setDisabledKeysWrap(req.get("disabledKeysWrap").asBoolean());
                }
                return KeyBundles.JSON.createObjectNode().put("disabledKeysWrap", vault.disabledKeysWrap());
            case "counters":
                if ("DELETE".equals(method)) {
                    vault.resetCounters();
                }
                return KeyBundles.JSON.valueToTree(vault.counters());
            default:
                throw new NoSuchElementException("no admin resource " + path);
        }
    }

    private ObjectNode keys(String vaultName, EmulatedVault vault, String method, String[] p, JsonNode req) {
        if (p.length < 6) {
            throw new NoSuchElementException("name the key: /admin/vaults/" + vaultName + "/keys/{name}");
        }
        String name = p[5];
        String uri = emulator.vaultUri(vaultName).toString();
        if (p.length == 6 && "POST".equals(method)) {
            List<String> ops = new ArrayList<>();
            req.path("keyOps").forEach(n -> ops.add(n.asText()));
            String version = vault.createKey(
                    name, req.path("kty").asText("RSA"), req.path("keySize").asInt(2048), ops);
            return kid(uri, name, version);
        }
        if (p.length == 7 && "POST".equals(method) && "rotate".equals(p[6])) {
            return kid(uri, name, vault.rotate(name));
        }
        if (p.length == 7 && "POST".equals(method) && "recover".equals(p[6])) {
            return kid(uri, name, vault.recover(name).latest().version);
        }
        if (p.length == 7 && "PATCH".equals(method)) {
            List<String> ops = null;
            if (req.has("keyOps")) {
                List<String> listed = new ArrayList<>();
                req.get("keyOps").forEach(n -> listed.add(n.asText()));
                ops = listed;
            }
            vault.update(
                    name,
                    p[6],
                    req.has("enabled") ? req.get("enabled").asBoolean() : null,
                    req.has("notBefore") ? req.get("notBefore").asLong() : null,
                    req.has("expires") ? req.get("expires").asLong() : null,
                    ops);
            return kid(uri, name, p[6]);
        }
        if (p.length == 6 && "DELETE".equals(method)) {
            vault.delete(name);
            return KeyBundles.JSON.createObjectNode().put("deleted", name).put("recoverable", vault.softDelete);
        }
        throw new NoSuchElementException("no admin operation " + method + " on keys");
    }

    private ObjectNode servicePrincipal(String method, String directory, String clientId) {
        if ("PUT".equals(method)) {
            emulator.directories().addServicePrincipal(directory, clientId);
        } else if ("DELETE".equals(method)) {
            emulator.directories().removeServicePrincipal(directory, clientId);
        } else {
            throw new NoSuchElementException("no admin operation " + method + " on service principals");
        }
        return KeyBundles.JSON
                .createObjectNode()
                .put("directory", directory)
                .put("appId", clientId)
                .put("registered", "PUT".equals(method));
    }

    private static ObjectNode kid(String vaultUri, String name, String version) {
        return KeyBundles.JSON.createObjectNode().put("kid", vaultUri + "/keys/" + name + "/" + version);
    }

    private static ObjectNode problem(String message) {
        return KeyBundles.JSON.createObjectNode().put("error", message == null ? "bad request" : message);
    }
}
