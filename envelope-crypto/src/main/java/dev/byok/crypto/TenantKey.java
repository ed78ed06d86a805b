package dev.byok.crypto;

import dev.byok.kms.InvalidCiphertextException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.UUID;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * A tenant's own managed key: an AES-256 key that wraps the tenant's DEKs (format 2, {@link
 * WrappedDek.Format#TENANT_KEY}) in place of the global keyring. It is stored only wrapped by a
 * per-tenant key in the service's own Key Vault ({@link #sealedForm()}), so purging that vault key on
 * offboarding leaves every copy of the tenant's DEKs — in backups too — without a key.
 *
 * <h2>Sealed form: what the vault key wraps</h2>
 * <pre>
 * sealed-form = "byok/tenant-key/v1" %x00 tenant-len(2) tenant-id version(4) key(32)
 * </pre>
 * It names its tenant and version: a sealed form moved to another tenant's row does not open there.
 */
public final class TenantKey {
    private static final byte[] LABEL = Bytes.utf8("byok/tenant-key/v1\0");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String tenantId;
    private final int version;
    private final SecretKey key;

    private TenantKey(String tenantId, int version, byte[] raw) {
        if (version < 1) {
            throw new IllegalArgumentException("tenant key versions start at 1, got " + version);
        }
        this.tenantId = tenantId;
        this.version = version;
        this.key = new SecretKeySpec(raw, "AES");
    }

    /** A fresh random key for {@code tenantId}. */
    public static TenantKey generate(String tenantId, int version) {
        byte[] raw = new byte[Dek.KEY_BYTES];
        RANDOM.nextBytes(raw);
        try {
            return new TenantKey(tenantId, version, raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /** Test fixtures only: a key with exactly these bytes. */
    static TenantKey of(String tenantId, int version, byte[] raw) {
        return new TenantKey(tenantId, version, raw.clone());
    }

    public String tenantId() {
        return tenantId;
    }

    public int version() {
        return version;
    }

    /** The bytes the vault key wraps; the caller zeroes them after use. */
    public byte[] sealedForm() {
        byte[] tenant = Bytes.utf8(tenantId);
        byte[] raw = key.getEncoded();
        try {
            ByteBuffer out = ByteBuffer.allocate(LABEL.length + 2 + tenant.length + 4 + raw.length);
            out.put(LABEL);
            Bytes.putShortString(out, tenant);
            out.putInt(version);
            out.put(raw);
            return out.array();
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /**
     * The key of {@code tenantId} at {@code version} from what the vault unwrapped; a sealed form of
     * another tenant or version, or of any other shape, is {@link InvalidCiphertextException}.
     */
    public static TenantKey fromSealedForm(String tenantId, int version, byte[] sealed) {
        byte[] tenant = Bytes.utf8(tenantId);
        int expected = LABEL.length + 2 + tenant.length + 4 + Dek.KEY_BYTES;
        Bytes.require(sealed != null && sealed.length == expected);
        ByteBuffer in = ByteBuffer.wrap(sealed);
        Bytes.require(MessageDigest.isEqual(Bytes.getBytes(in, LABEL.length), LABEL));
        Bytes.require(Arrays.equals(Bytes.getBytes(in, Bytes.getBoundedShortLength(in, 1, tenant.length)), tenant));
        Bytes.require(in.getInt() == version);
        byte[] raw = Bytes.getBytes(in, Dek.KEY_BYTES);
        try {
            return new TenantKey(tenantId, version, raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /** Wraps a DEK of this tenant (format 2). */
    public WrappedDek.ManagedOnly wrap(Dek dek) {
        byte[] raw = dek.keyBytes();
        try {
            return wrap(dek.tenantId(), dek.id(), raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /** Wraps DEK bytes recovered from another layer (moving a format-1 DEK here). */
    WrappedDek.ManagedOnly wrap(String dekTenant, UUID dekId, byte[] dekBytes) {
        byte[] out = new byte[WrappedDek.MANAGED_WRAP_BYTES];
        Gcm.randomNonce(out, 0);
        return wrapWithNonce(dekTenant, dekId, dekBytes, out);
    }

    /** Wrap with the nonce already in {@code out[0..12)}: golden-file tests need exact bytes. */
    WrappedDek.ManagedOnly wrapWithNonce(String dekTenant, UUID dekId, byte[] dekBytes, byte[] out) {
        if (!tenantId.equals(dekTenant)) {
            throw new IllegalArgumentException("a tenant key wraps only its own tenant's DEKs");
        }
        return ManagedWrap.seal(WrappedDek.Format.TENANT_KEY, key, version, tenantId, dekId, dekBytes, out);
    }

    /** Unwraps a format-2 managed layer of this tenant; anything else is {@link InvalidCiphertextException}. */
    public byte[] unwrap(String dekTenant, UUID dekId, WrappedDek.ManagedOnly wrapped) {
        Bytes.require(wrapped.format() == WrappedDek.Format.TENANT_KEY
                && wrapped.managedKeyVersion() == version
                && tenantId.equals(dekTenant));
        return ManagedWrap.open(key, tenantId, dekId, wrapped);
    }

    @Override
    public String toString() {
        return "TenantKey[tenant=" + tenantId + ", version=" + version + "]";
    }
}
