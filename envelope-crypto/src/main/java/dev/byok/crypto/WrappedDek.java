package dev.byok.crypto;

import dev.byok.kms.InvalidCiphertextException;
import dev.byok.kms.KeyVersionId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A stored DEK: always wrapped by the service's managed key (its <em>managed layer</em>); for BYOK
 * tenants wrapped again, over the managed layer, by the customer's key version. Reading it needs
 * every layer's key. The {@link Format} says which managed key: the global keyring (format 1, legacy)
 * or the tenant's own {@link TenantKey} (format 2, every new DEK).
 *
 * <h2>Wrapped-DEK grammar, formats 1 and 2 (all integers unsigned big-endian)</h2>
 * <pre>
 * wrapped-dek     = format managed-version layer
 * format          = %x01 / %x02                         ; {@link Format}: 1 keyring, 2 tenant key
 * managed-version = 4 OCTET                             ; the keyring version (1) or the tenant key version (2), 1..2^31-1
 * layer           = managed-layer / customer-layer
 * managed-layer   = %x00 managed-wrap
 * customer-layer  = %x01 kid-len kid blob-len blob
 * managed-wrap    = nonce(12) ciphertext(32) tag(16)    ; 60 bytes: AES-256-GCM of the DEK
 * kid-len         = 2 OCTET                             ; 1..{@link KeyVersionId#MAX_LENGTH}
 * kid             = kid-len %x21-7E                     ; the customer key version's id, printable ASCII
 * blob-len        = 2 OCTET                             ; 1..{@link #MAX_CUSTOMER_BLOB_BYTES}
 * blob            = blob-len OCTET                      ; RSA-OAEP-256 of the encoded managed-only wrapped DEK
 *                                                       ; (format managed-version %x00 managed-wrap: 66 bytes, same format)
 *
 * managed-wrap associated data = label %x00 tenant-len tenant-id dek-id(16) managed-version(4)
 * label                        = "byok/dek/v1" (format 1) / "byok/dek/v2" (format 2)
 * </pre>
 * Nothing may follow the last field. Every parse failure is the one {@link InvalidCiphertextException}.
 *
 * <p>The envelope does not interpret {@code kid}: it is the KMS provider's own versioned key id
 * ({@link KeyVersionId#toString()}), which names its provider by its syntax. Version 1 has only
 * ever stored Azure Key Vault ids; {@link KeyHierarchy} reads them back through the installed
 * provider, in canonical form only.
 */
public sealed interface WrappedDek {
    int MANAGED_WRAP_BYTES = Gcm.NONCE_BYTES + Dek.KEY_BYTES + Gcm.TAG_BYTES;
    /** RSA-4096 produces 512 bytes; the bound leaves room and nothing more. */
    int MAX_CUSTOMER_BLOB_BYTES = 1024;

    /** Which managed key the inner layer is under, and the byte that says so first. */
    enum Format {
        /** The global managed keyring: written before tenant keys existed; the sweeper moves such DEKs to format 2. */
        KEYRING((byte) 1),
        /** The tenant's own key, itself wrapped by a per-tenant key in the service's Key Vault. */
        TENANT_KEY((byte) 2);

        private final byte wireValue;

        Format(byte wireValue) {
            this.wireValue = wireValue;
        }

        public byte wireValue() {
            return wireValue;
        }

        static Format fromWire(byte value) {
            for (Format f : values()) {
                if (f.wireValue == value) {
                    return f;
                }
            }
            throw new InvalidCiphertextException();
        }
    }

    Format format();

    /** The version of the inner layer's managed key: the keyring version (format 1) or the tenant key version (2). */
    int managedKeyVersion();

    byte[] encode();

    /** Parses stored bytes; any malformed input is {@link InvalidCiphertextException}. */
    static WrappedDek decode(byte[] bytes) {
        Bytes.require(bytes != null
                && bytes.length >= 6
                && bytes.length <= 6 + 4 + KeyVersionId.MAX_LENGTH + MAX_CUSTOMER_BLOB_BYTES);
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        Format format = Format.fromWire(buf.get());
        int managedVersion = buf.getInt();
        Bytes.require(managedVersion >= 1);
        byte layer = buf.get();
        WrappedDek result;
        if (layer == 0) {
            result = new ManagedOnly(format, managedVersion, Bytes.getBytes(buf, MANAGED_WRAP_BYTES));
        } else if (layer == 1) {
            int kidLen = Bytes.getBoundedShortLength(buf, 1, KeyVersionId.MAX_LENGTH);
            byte[] kid = Bytes.getBytes(buf, kidLen);
            Bytes.require(printableAscii(kid));
            String kidText = new String(kid, StandardCharsets.US_ASCII);
            int blobLen = Bytes.getBoundedShortLength(buf, 1, MAX_CUSTOMER_BLOB_BYTES);
            result = new CustomerWrapped(format, managedVersion, kidText, Bytes.getBytes(buf, blobLen));
        } else {
            throw new InvalidCiphertextException();
        }
        Bytes.require(!buf.hasRemaining());
        return result;
    }

    private static boolean printableAscii(byte[] text) {
        for (byte b : text) {
            if (b < 0x21 || b > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** Only the managed layer: a temporary DEK of a BYOK tenant, or any DEK of a managed-only tenant. */
    record ManagedOnly(Format format, int managedKeyVersion, byte[] managedWrap) implements WrappedDek {
        public ManagedOnly {
            Objects.requireNonNull(format, "format");
            if (managedKeyVersion < 1 || managedWrap.length != MANAGED_WRAP_BYTES) {
                throw new IllegalArgumentException(
                        "managed wrap must be " + MANAGED_WRAP_BYTES + " bytes under a version >= 1");
            }
            managedWrap = managedWrap.clone();
        }

        @Override
        public byte[] managedWrap() {
            return managedWrap.clone();
        }

        @Override
        public byte[] encode() {
            return ByteBuffer.allocate(6 + MANAGED_WRAP_BYTES)
                    .put(format.wireValue())
                    .putInt(managedKeyVersion)
                    .put((byte) 0)
                    .put(managedWrap)
                    .array();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ManagedOnly m
                    && m.format == format
                    && m.managedKeyVersion == managedKeyVersion
                    && Arrays.equals(m.managedWrap, managedWrap);
        }

        @Override
        public int hashCode() {
            return Objects.hash(format, managedKeyVersion) * 31 + Arrays.hashCode(managedWrap);
        }

        @Override
        public String toString() {
            return "ManagedOnly[format=" + format + ", managedKeyVersion=" + managedKeyVersion + "]";
        }
    }

    /** The customer's key version over the managed layer: a protected DEK of a BYOK tenant. */
    record CustomerWrapped(Format format, int managedKeyVersion, String customerKeyId, byte[] customerWrap)
            implements WrappedDek {
        public CustomerWrapped {
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(customerKeyId, "customerKeyId");
            if (managedKeyVersion < 1 || customerWrap.length < 1 || customerWrap.length > MAX_CUSTOMER_BLOB_BYTES) {
                throw new IllegalArgumentException(
                        "customer wrap must be 1.." + MAX_CUSTOMER_BLOB_BYTES + " bytes under a version >= 1");
            }
            if (customerKeyId.isEmpty()
                    || customerKeyId.length() > KeyVersionId.MAX_LENGTH
                    || !printableAscii(customerKeyId.getBytes(StandardCharsets.UTF_8))) {
                throw new IllegalArgumentException(
                        "customer key id must be 1.." + KeyVersionId.MAX_LENGTH + " printable ASCII characters");
            }
            customerWrap = customerWrap.clone();
        }

        @Override
        public byte[] customerWrap() {
            return customerWrap.clone();
        }

        @Override
        public byte[] encode() {
            byte[] kid = customerKeyId.getBytes(StandardCharsets.US_ASCII);
            ByteBuffer buf = ByteBuffer.allocate(6 + 2 + kid.length + 2 + customerWrap.length)
                    .put(format.wireValue())
                    .putInt(managedKeyVersion)
                    .put((byte) 1);
            Bytes.putShortString(buf, kid);
            Bytes.putShortString(buf, customerWrap);
            return buf.array();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof CustomerWrapped c
                    && c.format == format
                    && c.managedKeyVersion == managedKeyVersion
                    && c.customerKeyId.equals(customerKeyId)
                    && Arrays.equals(c.customerWrap, customerWrap);
        }

        @Override
        public int hashCode() {
            return Objects.hash(format, managedKeyVersion, customerKeyId) * 31 + Arrays.hashCode(customerWrap);
        }

        @Override
        public String toString() {
            return "CustomerWrapped[format=" + format + ", managedKeyVersion=" + managedKeyVersion + ", customerKeyId="
                    + customerKeyId + "]";
        }
    }
}
