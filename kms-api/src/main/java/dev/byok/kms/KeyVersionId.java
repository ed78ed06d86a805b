package dev.byok.kms;

import java.util.Objects;

/**
 * One version of a customer key: what a customer-wrapped DEK stores, so it is always unwrapped by
 * the version that wrapped it. Its string form — stored in DEKs, events and rows — is the
 * provider's own versioned key id (Azure: {@code https://{vault}/keys/{name}/{version}}), so the
 * provider is known from the id alone ({@link KeyIdFormat}).
 */
public record KeyVersionId(KeyRef key, String version) {
    /** Upper bound on a stored key id's length (printable ASCII, so also its UTF-8 length). */
    public static final int MAX_LENGTH = 1024;

    public KeyVersionId {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(version, "version");
        if (version.isEmpty()) {
            throw new IllegalArgumentException("key version is empty");
        }
    }

    /**
     * Parses a stored or reported versioned key id with the installed provider whose syntax it
     * has. This checks the shape only; which vaults are acceptable for a tenant is decided where
     * admins submit keys, and by the provider before it sends anything.
     *
     * @throws IllegalArgumentException when the id is too long, not printable ASCII, or no installed
     *                                  provider's key id
     */
    public static KeyVersionId parse(String id) {
        return KeyIdFormats.parse(id);
    }

    /** The provider's versioned key id: the stored form, which {@link #parse} reads back. */
    @Override
    public String toString() {
        return KeyIdFormats.of(key.provider()).format(this);
    }
}
