package dev.byok.crypto;

import dev.byok.kms.InvalidCiphertextException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The service-managed keyring: versioned AES-256 keys from configuration. The newest version wraps
 * every new DEK; every configured version unwraps, so adding a version never strands old data.
 * Removing a version is only safe once no DEK is wrapped under it any more.
 */
public final class ManagedKeyring {
    private static final byte[] AAD_LABEL = Bytes.utf8("byok/dek/v1\0");

    private final TreeMap<Integer, SecretKey> keys;

    private ManagedKeyring(TreeMap<Integer, SecretKey> keys) {
        this.keys = keys;
    }

    /**
     * Builds the keyring from configuration: version number to base64 (standard or URL-safe) of
     * exactly 32 bytes. Error messages name the version, never the key.
     */
    public static ManagedKeyring fromBase64(Map<Integer, String> versions) {
        if (versions == null || versions.isEmpty()) {
            throw new IllegalArgumentException("the managed keyring needs at least one key version");
        }
        TreeMap<Integer, SecretKey> keys = new TreeMap<>();
        versions.forEach((version, encoded) -> {
            if (version == null || version < 1) {
                throw new IllegalArgumentException("managed key versions start at 1, got " + version);
            }
            byte[] raw = decode(version, encoded);
            if (raw.length != Dek.KEY_BYTES) {
                throw new IllegalArgumentException(
                        "managed key version " + version + " must be 32 bytes (AES-256), was " + raw.length);
            }
            keys.put(version, new SecretKeySpec(raw, "AES"));
        });
        return new ManagedKeyring(keys);
    }

    /**
     * Parses the one-line configuration form {@code "1:<base64>,2:<base64>"} (an environment
     * variable such as {@code BYOK_CRYPTO_MANAGED_KEYRING}). Messages name versions, never keys.
     */
    public static ManagedKeyring parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException(
                    "the managed keyring is not configured (expected \"1:<base64 of 32 bytes>[,2:...]\")");
        }
        java.util.Map<Integer, String> versions = new java.util.HashMap<>();
        for (String entry : spec.split(",")) {
            int colon = entry.indexOf(':');
            if (colon < 1) {
                throw new IllegalArgumentException(
                        "managed keyring entries are \"<version>:<base64>\", separated by commas");
            }
            int version;
            try {
                version = Integer.parseInt(entry.substring(0, colon).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("a managed keyring version is not a number");
            }
            if (versions.put(version, entry.substring(colon + 1)) != null) {
                throw new IllegalArgumentException("managed key version " + version + " is configured twice");
            }
        }
        return fromBase64(versions);
    }

    private static byte[] decode(int version, String encoded) {
        String value = encoded == null ? "" : encoded.trim();
        try {
            return value.contains("-") || value.contains("_")
                    ? Base64.getUrlDecoder().decode(value)
                    : Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("managed key version " + version + " is not valid base64");
        }
    }

    /** The version that wraps new DEKs: the highest configured. */
    public int currentVersion() {
        return keys.lastKey();
    }

    public SortedSet<Integer> versions() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(keys.keySet()));
    }

    /** Wraps a DEK under the current version, bound to its tenant and DEK id. */
    public WrappedDek.ManagedOnly wrap(Dek dek) {
        byte[] out = new byte[WrappedDek.MANAGED_WRAP_BYTES];
        Gcm.randomNonce(out, 0);
        return wrapWithNonce(dek, out);
    }

    /** Wrap with the nonce already in {@code out[0..12)}: golden-file tests need exact bytes. */
    WrappedDek.ManagedOnly wrapWithNonce(Dek dek, byte[] out) {
        int version = currentVersion();
        byte[] aad = associatedData(dek.tenantId(), dek.id(), version);
        Gcm.encrypt(keys.get(version), out, 0, aad, dek.keyBytes(), out, Gcm.NONCE_BYTES);
        return new WrappedDek.ManagedOnly(version, out);
    }

    /** Unwraps a managed layer; a wrong tenant, DEK id or altered byte is {@link InvalidCiphertextException}. */
    public byte[] unwrap(String tenantId, UUID dekId, WrappedDek.ManagedOnly wrapped) {
        SecretKey key = keys.get(wrapped.managedKeyVersion());
        if (key == null) {
            throw new UnknownManagedKeyVersionException(wrapped.managedKeyVersion(), versions());
        }
        byte[] blob = wrapped.managedWrap();
        byte[] aad = associatedData(tenantId, dekId, wrapped.managedKeyVersion());
        return Gcm.decrypt(key, blob, 0, aad, blob, Gcm.NONCE_BYTES, blob.length - Gcm.NONCE_BYTES);
    }

    private static byte[] associatedData(String tenantId, UUID dekId, int version) {
        byte[] tenant = Bytes.utf8(tenantId);
        ByteBuffer aad = ByteBuffer.allocate(AAD_LABEL.length + 2 + tenant.length + 16 + 4);
        aad.put(AAD_LABEL);
        Bytes.putShortString(aad, tenant);
        Bytes.putUuid(aad, dekId);
        aad.putInt(version);
        return aad.array();
    }

    @Override
    public String toString() {
        return "ManagedKeyring[versions=" + keys.keySet() + "]";
    }
}
