package dev.byok.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * One vault's keys in a JSON file, so a local stack's data survives a restart. The file holds the
 * emulated private keys (PKCS#8, base64) and is written owner-only: an emulator for development,
 * never a place for real keys. Written atomically (temporary file, then rename) after every change.
 */
final class VaultStore {
    private final Path file;

    VaultStore(Path directory, String vaultName) {
        this.file = directory.resolve(vaultName + ".keys.json");
    }

    void load(Map<String, EmulatedKey> keys, Map<String, EmulatedKey> deletedKeys) {
        if (!Files.exists(file)) {
            return;
        }
        try {
            JsonNode root = KeyBundles.JSON.readTree(file.toFile());
            for (JsonNode k : root.path("keys")) {
                EmulatedKey key = new EmulatedKey(k.path("name").asText());
                key.deletedDate = k.path("deletedDate").asLong();
                for (JsonNode v : k.path("versions")) {
                    key.versions.add(version(v));
                }
                (k.path("deleted").asBoolean() ? deletedKeys : keys).put(key.name, key);
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the emulator's key store " + file, e);
        }
    }

    void save(Map<String, EmulatedKey> keys, Map<String, EmulatedKey> deletedKeys) {
        ObjectNode root = KeyBundles.JSON.createObjectNode();
        ArrayNode list = root.putArray("keys");
        keys.values().forEach(k -> list.add(key(k, false)));
        deletedKeys.values().forEach(k -> list.add(key(k, true)));
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(
                    file.getParent(),
                    ".keys",
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            KeyBundles.JSON.writeValue(tmp.toFile(), root);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the emulator's key store " + file, e);
        }
    }

    private static ObjectNode key(EmulatedKey key, boolean deleted) {
        ObjectNode node = KeyBundles.JSON
                .createObjectNode()
                .put("name", key.name)
                .put("deleted", deleted)
                .put("deletedDate", key.deletedDate);
        ArrayNode versions = node.putArray("versions");
        for (KeyVersion v : key.versions) {
            ObjectNode n = versions.addObject()
                    .put("version", v.version)
                    .put("kty", v.kty)
                    .put("size", v.size)
                    .put("created", v.created)
                    .put("updated", v.updated)
                    .put("enabled", v.enabled)
                    .put(
                            "private",
                            Base64.getEncoder()
                                    .encodeToString(v.pair.getPrivate().getEncoded()))
                    .put(
                            "public",
                            Base64.getEncoder()
                                    .encodeToString(v.pair.getPublic().getEncoded()));
            if (v.notBefore != null) {
                n.put("nbf", v.notBefore);
            }
            if (v.expires != null) {
                n.put("exp", v.expires);
            }
            v.keyOps.forEach(n.putArray("keyOps")::add);
        }
        return node;
    }

    private static KeyVersion version(JsonNode v) throws GeneralSecurityException {
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        KeyPair pair = new KeyPair(
                rsa.generatePublic(new X509EncodedKeySpec(
                        Base64.getDecoder().decode(v.path("public").asText()))),
                rsa.generatePrivate(new PKCS8EncodedKeySpec(
                        Base64.getDecoder().decode(v.path("private").asText()))));
        List<String> ops = new ArrayList<>();
        v.path("keyOps").forEach(op -> ops.add(op.asText()));
        KeyVersion version = new KeyVersion(
                v.path("version").asText(),
                v.path("kty").asText(),
                v.path("size").asInt(),
                pair,
                ops,
                v.path("created").asLong());
        version.updated = v.path("updated").asLong();
        version.enabled = v.path("enabled").asBoolean(true);
        version.notBefore = v.has("nbf") ? v.get("nbf").asLong() : null;
        version.expires = v.has("exp") ? v.get("exp").asLong() : null;
        return version;
    }
}
