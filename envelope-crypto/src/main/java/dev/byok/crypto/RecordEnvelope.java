package dev.byok.crypto;

import dev.byok.kms.InvalidCiphertextException;
import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * Seals and opens one stored record with its tenant's DEK (AES-256-GCM).
 *
 * <h2>Envelope grammar, version 1 (all integers unsigned big-endian)</h2>
 * <pre>
 * envelope   = header ciphertext
 * header     = version dek-id nonce length          ; 33 bytes
 * version    = %x01                                 ; {@link EnvelopeVersion}
 * dek-id     = 16 OCTET                             ; the DEK's UUID, most significant half first
 * nonce      = 12 OCTET                             ; random per record
 * length     = 4 OCTET                              ; 16..{@link #MAX_CIPHERTEXT_BYTES}, and exactly the bytes that follow
 * ciphertext = length OCTET                         ; AES-256-GCM ciphertext followed by its 16-byte tag
 *
 * associated data = version                          ; the header's first byte
 *                   tenant-len tenant-id            ; 2-byte length, UTF-8
 *                   record-len record-id            ; 2-byte length, UTF-8
 *                   zero-padding                    ; to a multiple of 16 bytes
 * </pre>
 * The associated data binds the ciphertext to its tenant, its record and its format version:
 * moving it to another tenant's or record's row fails authentication. On open, the tenant in the
 * associated data is the tenant being read (and the DEK must be that tenant's): a row of tenant A
 * that points at tenant B's DEK and carries a copy of B's envelope never opens as A's data. The DEK, the nonce and the
 * length need no place in it: GCM authenticates them by construction (another DEK id selects
 * another key). Padding to whole GCM blocks is free (the lengths make the encoding unambiguous) and
 * spares the JDK an extra partial-block pass. Every parse or authentication
 * failure is the one {@link InvalidCiphertextException}.
 */
public final class RecordEnvelope {
    public static final int MAX_PLAINTEXT_BYTES = 1 << 20;
    public static final int MAX_CIPHERTEXT_BYTES = MAX_PLAINTEXT_BYTES + Gcm.TAG_BYTES;
    static final int HEADER_BYTES = 1 + 16 + Gcm.NONCE_BYTES + 4;
    private static final int NONCE_OFFSET = 1 + 16;
    private static final int MAX_ID_BYTES = 1024;

    private RecordEnvelope() {}

    /** Encrypts one record under {@code dek}, counting it against the DEK's record bound. */
    public static byte[] seal(Dek dek, String recordId, byte[] plaintext) {
        byte[] out = new byte[HEADER_BYTES + plaintext.length + Gcm.TAG_BYTES];
        Gcm.randomNonce(out, NONCE_OFFSET);
        return sealInto(out, dek, recordId, plaintext);
    }

    /** Seal with a given nonce: only for golden-file tests, which must reproduce exact bytes. */
    static byte[] sealWithNonce(Dek dek, String recordId, byte[] plaintext, byte[] nonce) {
        byte[] out = new byte[HEADER_BYTES + plaintext.length + Gcm.TAG_BYTES];
        System.arraycopy(nonce, 0, out, NONCE_OFFSET, Gcm.NONCE_BYTES);
        return sealInto(out, dek, recordId, plaintext);
    }

    private static byte[] sealInto(byte[] out, Dek dek, String recordId, byte[] plaintext) {
        if (plaintext.length > MAX_PLAINTEXT_BYTES) {
            throw new IllegalArgumentException("record larger than " + MAX_PLAINTEXT_BYTES + " bytes");
        }
        dek.consumeOne();
        ByteBuffer header = ByteBuffer.wrap(out, 0, HEADER_BYTES);
        header.put(EnvelopeVersion.current().wireValue());
        Bytes.putUuid(header, dek.id());
        header.position(NONCE_OFFSET + Gcm.NONCE_BYTES);
        header.putInt(plaintext.length + Gcm.TAG_BYTES);
        byte[] aad = associatedData(dek.tenantIdUtf8(), recordId, out);
        Gcm.encrypt(dek.secretKey(), out, NONCE_OFFSET, aad, plaintext, out, HEADER_BYTES);
        return out;
    }

    /** The id of the DEK that sealed this envelope, so the caller can load it; checks the header. */
    public static UUID dekId(byte[] envelope) {
        return parseHeader(envelope);
    }

    /** Authenticates and decrypts a record of {@code tenantId} (the tenant being read) sealed for {@code recordId}. */
    public static byte[] open(Dek dek, String tenantId, String recordId, byte[] envelope) {
        checkHeader(envelope);
        Bytes.require(dek.tenantId().equals(tenantId)); // another tenant's DEK never opens this tenant's rows
        ByteBuffer header = ByteBuffer.wrap(envelope, 1, 16);
        Bytes.require(header.getLong() == dek.id().getMostSignificantBits()
                && header.getLong() == dek.id().getLeastSignificantBits());
        byte[] aad = associatedData(Bytes.utf8(tenantId), recordId, envelope);
        return Gcm.decrypt(
                dek.secretKey(), envelope, NONCE_OFFSET, aad, envelope, HEADER_BYTES, envelope.length - HEADER_BYTES);
    }

    private static UUID parseHeader(byte[] envelope) {
        checkHeader(envelope);
        return Bytes.getUuid(ByteBuffer.wrap(envelope, 1, 16));
    }

    /** Version readable, and the length field bounded and equal to the bytes that follow. */
    private static void checkHeader(byte[] envelope) {
        Bytes.require(envelope != null && envelope.length >= HEADER_BYTES + Gcm.TAG_BYTES);
        EnvelopeVersion.fromWire(envelope[0]);
        long length = Integer.toUnsignedLong(ByteBuffer.wrap(envelope).getInt(NONCE_OFFSET + Gcm.NONCE_BYTES));
        Bytes.require(
                length >= Gcm.TAG_BYTES && length <= MAX_CIPHERTEXT_BYTES && length == envelope.length - HEADER_BYTES);
    }

    /** version ‖ tenant-len tenant ‖ record-len record ‖ zero padding, in one array (this is the hot path). */
    private static byte[] associatedData(byte[] tenant, String recordId, byte[] headerSource) {
        int recordLength = Bytes.utf8Length(recordId);
        if (tenant.length > MAX_ID_BYTES || recordLength > MAX_ID_BYTES) {
            throw new IllegalArgumentException("tenant or record id longer than " + MAX_ID_BYTES + " bytes");
        }
        int length = 1 + 2 + tenant.length + 2 + recordLength;
        byte[] aad = new byte[(length + 15) & ~15];
        aad[0] = headerSource[0];
        int at = Bytes.putShortBytes(aad, 1, tenant);
        Bytes.putShortUtf8(aad, at, recordId, recordLength);
        return aad;
    }
}
