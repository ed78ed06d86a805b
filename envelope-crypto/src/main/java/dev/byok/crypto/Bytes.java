package dev.byok.crypto;

import dev.byok.kms.InvalidCiphertextException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Small byte helpers shared by the envelope formats. Every read is bounded by its caller. */
final class Bytes {
    private Bytes() {}

    static void putUuid(ByteBuffer buf, UUID id) {
        buf.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
    }

    static UUID getUuid(ByteBuffer buf) {
        return new UUID(buf.getLong(), buf.getLong());
    }

    /** Appends a UTF-8 string prefixed by its unsigned 16-bit length. */
    static void putShortString(ByteBuffer buf, byte[] utf8) {
        if (utf8.length > 0xFFFF) {
            throw new IllegalArgumentException("string longer than 65535 bytes");
        }
        buf.putShort((short) utf8.length).put(utf8);
    }

    /** Writes a 16-bit length and the bytes at {@code at}; returns the offset after them. */
    static int putShortBytes(byte[] out, int at, byte[] value) {
        out[at] = (byte) (value.length >>> 8);
        out[at + 1] = (byte) value.length;
        System.arraycopy(value, 0, out, at + 2, value.length);
        return at + 2 + value.length;
    }

    /** The UTF-8 length of {@code s}, computed without encoding it when it is ASCII. */
    static int utf8Length(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                return utf8(s).length;
            }
        }
        return n;
    }

    /** Writes a 16-bit length and the UTF-8 of {@code s} ({@code utf8Length} bytes) at {@code at}. */
    static void putShortUtf8(byte[] out, int at, String s, int utf8Length) {
        out[at] = (byte) (utf8Length >>> 8);
        out[at + 1] = (byte) utf8Length;
        if (utf8Length == s.length()) {
            for (int i = 0; i < utf8Length; i++) {
                out[at + 2 + i] = (byte) s.charAt(i);
            }
        } else {
            System.arraycopy(utf8(s), 0, out, at + 2, utf8Length);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Strict UTF-8 decoding: malformed bytes are an invalid ciphertext, never replaced. */
    static String decodeUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new InvalidCiphertextException();
        }
    }

    /** Reads an unsigned 16-bit length and checks it against [min, max] and the bytes left. */
    static int getBoundedShortLength(ByteBuffer buf, int min, int max) {
        require(buf.remaining() >= 2);
        int len = Short.toUnsignedInt(buf.getShort());
        require(len >= min && len <= max && len <= buf.remaining());
        return len;
    }

    static byte[] getBytes(ByteBuffer buf, int len) {
        require(len >= 0 && len <= buf.remaining());
        byte[] out = new byte[len];
        buf.get(out);
        return out;
    }

    static void require(boolean condition) {
        if (!condition) {
            throw new InvalidCiphertextException();
        }
    }
}
