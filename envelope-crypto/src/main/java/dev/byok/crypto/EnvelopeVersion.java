package dev.byok.crypto;

import dev.byok.kms.InvalidCiphertextException;

/**
 * Versions of the record envelope (wrapped DEKs have their own {@link WrappedDek.Format}). Retired versions stay listed
 * (with {@code readable = false} once nothing written with them may remain) so that their byte
 * value is never reused.
 */
public enum EnvelopeVersion {
    V1((byte) 1, true);

    private final byte wireValue;
    private final boolean readable;

    EnvelopeVersion(byte wireValue, boolean readable) {
        this.wireValue = wireValue;
        this.readable = readable;
    }

    public byte wireValue() {
        return wireValue;
    }

    public static EnvelopeVersion current() {
        return V1;
    }

    /** The readable version with this byte value, or {@link InvalidCiphertextException}. */
    public static EnvelopeVersion fromWire(byte value) {
        for (EnvelopeVersion v : values()) {
            if (v.wireValue == value && v.readable) {
                return v;
            }
        }
        throw new InvalidCiphertextException();
    }
}
