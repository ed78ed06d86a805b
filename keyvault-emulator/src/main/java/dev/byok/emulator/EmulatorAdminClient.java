package dev.byok.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;

/** A client of the emulator's admin API (tests, the demo, the local stack). */
public final class EmulatorAdminClient {
    private final URI adminUri;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public EmulatorAdminClient(URI adminUri) {
        this.adminUri = adminUri;
    }

    /** Creates an RSA key (or a new version of it) and returns the versioned key id. */
    public String createKey(String vault, String name, String kty, int keySize) {
        ObjectNode body = KeyBundles.JSON.createObjectNode().put("kty", kty).put("keySize", keySize);
        return call("POST", "/admin/vaults/" + vault + "/keys/" + name, body)
                .path("kid")
                .asText();
    }

    public String rotate(String vault, String name) {
        return call("POST", "/admin/vaults/" + vault + "/keys/" + name + "/rotate", null)
                .path("kid")
                .asText();
    }

    /** Updates one version; fields: enabled, notBefore, expires (epoch seconds, 0 clears), keyOps. */
    public void updateVersion(String vault, String name, String version, Map<String, Object> fields) {
        call("PATCH", "/admin/vaults/" + vault + "/keys/" + name + "/" + version, KeyBundles.JSON.valueToTree(fields));
    }

    public void deleteKey(String vault, String name) {
        call("DELETE", "/admin/vaults/" + vault + "/keys/" + name, null);
    }

    public void recoverKey(String vault, String name) {
        call("POST", "/admin/vaults/" + vault + "/keys/" + name + "/recover", null);
    }

    public void setPermissions(String vault, Collection<String> granted) {
        ObjectNode body = KeyBundles.JSON.createObjectNode();
        granted.forEach(body.putArray("granted")::add);
        call("PUT", "/admin/vaults/" + vault + "/permissions", body);
    }

    /** Whether the vault wraps with disabled keys, as public reports say Key Vault does (default: refuses, like every operation). */
    public void setDisabledKeysWrap(String vault, boolean wraps) {
        call(
                "PUT",
                "/admin/vaults/" + vault + "/semantics",
                KeyBundles.JSON.createObjectNode().put("disabledKeysWrap", wraps));
    }

    /** The customer registers the application in their directory (Entra: New-MgServicePrincipal -AppId {clientId}). */
    public void registerApplication(String directory, String clientId) {
        call("PUT", "/admin/directories/" + directory + "/service-principals/" + clientId, null);
    }

    /** The customer removes the application's service principal from their directory. */
    public void unregisterApplication(String directory, String clientId) {
        call("DELETE", "/admin/directories/" + directory + "/service-principals/" + clientId, null);
    }

    public void setFaults(String vault, Faults faults) {
        call("PUT", "/admin/vaults/" + vault + "/faults", KeyBundles.JSON.valueToTree(faults));
    }

    public void clearFaults(String vault) {
        call("DELETE", "/admin/vaults/" + vault + "/faults", null);
    }

    /** Operations served by the vault, by name (e.g. {@code wrapkey}). */
    public Map<String, Long> counters(String vault) {
        JsonNode node = call("GET", "/admin/vaults/" + vault + "/counters", null);
        return KeyBundles.JSON.convertValue(
                node, KeyBundles.JSON.getTypeFactory().constructMapType(Map.class, String.class, Long.class));
    }

    public void resetCounters(String vault) {
        call("DELETE", "/admin/vaults/" + vault + "/counters", null);
    }

    private JsonNode call(String method, String path, JsonNode body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(adminUri.resolve(path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .method(
                            method,
                            body == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofByteArray(KeyBundles.JSON.writeValueAsBytes(body)))
                    .build();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            JsonNode json = response.body().length == 0
                    ? KeyBundles.JSON.createObjectNode()
                    : KeyBundles.JSON.readTree(response.body());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("emulator admin " + method + " " + path + " -> " + response.statusCode()
                        + ": " + json.path("error").asText());
            }
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
