package dev.byok.crypto;

import java.nio.ByteBuffer;
import java.util.UUID;
import javax.crypto.SecretKey;

/**
 * The managed layer's AES-256-GCM wrap of a DEK, for both managed keys ({@link ManagedKeyring},
 * {@link TenantKey}): bound to the format's label, the tenant, the DEK id and the key version, so a
 * wrap moved to another row, tenant or version fails authentication.
 */
final class ManagedWrap {
    private static final byte[] KEYRING_LABEL = Bytes.utf8("byok/dek/v1\0");
    private static final byte[] TENANT_KEY_LABEL = Bytes.utf8("byok/dek/v2\0");

    private ManagedWrap() {}

    /** Wraps {@code dekBytes} with the nonce already in {@code out[0..12)}. */
    static WrappedDek.ManagedOnly seal(
            WrappedDek.Format format,
            SecretKey key,
            int version,
            String tenantId,
            UUID dekId,
            byte[] dekBytes,
            byte[] out) {
        Gcm.encrypt(key, out, 0, associatedData(format, tenantId, dekId, version), dekBytes, out, Gcm.NONCE_BYTES);
        return new WrappedDek.ManagedOnly(format, version, out);
    }

    /** The DEK's bytes; any mismatch or altered byte is {@link dev.byok.kms.InvalidCiphertextException}. */
    static byte[] open(SecretKey key, String tenantId, UUID dekId, WrappedDek.ManagedOnly wrapped) {
        byte[] blob = wrapped.managedWrap();
        byte[] aad = associatedData(wrapped.format(), tenantId, dekId, wrapped.managedKeyVersion());
        return Gcm.decrypt(key, blob, 0, aad, blob, Gcm.NONCE_BYTES, blob.length - Gcm.NONCE_BYTES);
    }

    private static byte[] associatedData(WrappedDek.Format format, String tenantId, UUID dekId, int version) {
        byte[] label = format == WrappedDek.Format.KEYRING ? KEYRING_LABEL : TENANT_KEY_LABEL;
        byte[] tenant = Bytes.utf8(tenantId);
        ByteBuffer aad = ByteBuffer.allocate(label.length + 2 + tenant.length + 16 + 4);
        aad.put(label);
        Bytes.putShortString(aad, tenant);
        Bytes.putUuid(aad, dekId);
        aad.putInt(version);
        return aad.array();
    }
}
