package dev.byok.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Base64;

/** The JSON shapes of Key Vault's keys API: key bundles, version items, deleted-key bundles. */
final class KeyBundles {
    static final ObjectMapper JSON = new ObjectMapper();

    private KeyBundles() {}

    static String kid(String vaultUrl, String name, KeyVersion v) {
        return vaultUrl + "/keys/" + name + "/" + v.version;
    }

    static ObjectNode bundle(String vaultUrl, EmulatedVault vault, String name, KeyVersion v) {
        ObjectNode out = JSON.createObjectNode();
        ObjectNode key = out.putObject("key");
        key.put("kid", kid(vaultUrl, name, v));
        key.put("kty", v.kty);
        v.keyOps.forEach(key.putArray("key_ops")::add);
        key.put("n", base64Url(unsigned(v.publicKey().getModulus())));
        key.put("e", base64Url(unsigned(v.publicKey().getPublicExponent())));
        out.set("attributes", attributes(vault, v));
        out.putObject("tags");
        return out;
    }

    static ObjectNode item(String vaultUrl, EmulatedVault vault, String name, KeyVersion v) {
        ObjectNode out = JSON.createObjectNode();
        out.put("kid", kid(vaultUrl, name, v));
        out.set("attributes", attributes(vault, v));
        out.putObject("tags");
        return out;
    }

    static ObjectNode deleted(String vaultUrl, EmulatedVault vault, EmulatedKey key) {
        ObjectNode out = bundle(vaultUrl, vault, key.name, key.latest());
        out.put("recoveryId", vaultUrl + "/deletedkeys/" + key.name);
        out.put("deletedDate", key.deletedDate);
        out.put("scheduledPurgeDate", key.deletedDate + 90L * 24 * 3600);
        return out;
    }

    private static ObjectNode attributes(EmulatedVault vault, KeyVersion v) {
        ObjectNode a = JSON.createObjectNode();
        a.put("enabled", v.enabled);
        if (v.notBefore != null) {
            a.put("nbf", v.notBefore);
        }
        if (v.expires != null) {
            a.put("exp", v.expires);
        }
        a.put("created", v.created);
        a.put("updated", v.updated);
        a.put("recoveryLevel", vault.recoveryLevel());
        a.put("recoverableDays", vault.softDelete ? 90 : 0);
        return a;
    }

    static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] fromBase64Url(String text) {
        try {
            return Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw KeyVaultError.badParameter("value is not base64url");
        }
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes.length > 1 && bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }
}
