package dev.byok.kms;

import java.util.Optional;

/**
 * A KMS provider's key id syntax, installed with the provider as a {@link java.util.ServiceLoader}
 * service. Every provider's versioned ids must be told apart by their text alone (a scheme or
 * prefix of their own), because stored DEKs and events carry nothing else.
 */
public interface KeyIdFormat {

    /** The provider's name in {@link KeyRef#provider()}, e.g. {@code azure-key-vault}. */
    String provider();

    /** The id in canonical form, or empty when the text is not this provider's versioned key id. */
    Optional<KeyVersionId> parse(String id);

    /** The canonical text of a versioned key id that {@link #parse} reads back. */
    String format(KeyVersionId id);

    /** The canonical text of a key without a version. */
    String format(KeyRef key);
}
