package dev.byok.crypto;

import dev.byok.kms.InvalidCiphertextException;
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
 * The service-managed keyring: versioned AES-256 keys from configuration, the managed layer of
 * format-1 DEKs ({@link WrappedDek.Format#KEYRING}). New DEKs are under their tenant's {@link TenantKey}
 * instead, and the sweeper moves format-1 DEKs there; the keyring still opens them until then, with
 * every configured version. Removing a version is only safe once no DEK is wrapped under it any more.
 */
public final class ManagedKeyring {
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
        return ManagedWrap.seal(
                WrappedDek.Format.KEYRING, keys.get(version), version, dek.tenantId(), dek.id(), dek.keyBytes(), out);
    }

    /** Unwraps a format-1 managed layer; a wrong tenant, DEK id or altered byte is {@link InvalidCiphertextException}. */
    public byte[] unwrap(String tenantId, UUID dekId, WrappedDek.ManagedOnly wrapped) {
        if (wrapped.format() != WrappedDek.Format.KEYRING) {
            throw new InvalidCiphertextException();
        }
        SecretKey key = keys.get(wrapped.managedKeyVersion());
        if (key == null) {
            throw new UnknownManagedKeyVersionException(wrapped.managedKeyVersion(), versions());
        }
        return ManagedWrap.open(key, tenantId, dekId, wrapped);
    }

    @Override
    public String toString() {
        return "ManagedKeyring[versions=" + keys.keySet() + "]";
    }
}
