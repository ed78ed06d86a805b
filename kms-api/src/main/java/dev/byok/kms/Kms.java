package dev.byok.kms;

import java.util.concurrent.CompletionStage;

/**
 * The customer-key service contract: small, framework-free, asynchronous. Every failure completes
 * the returned stage exceptionally with a {@link KmsException} carrying its
 * {@link KeyAccessFailure} class (or {@link dev.byok.kms.InvalidCiphertextException} when the
 * key is reachable but the wrapped bytes are not valid); nothing is thrown from the call itself.
 * Quarkus services adapt these stages to Mutiny at their edges.
 */
public interface Kms {

    /** The key's latest version, whatever version an admin's URI named (needs List permission only). */
    CompletionStage<KeyVersionId> resolveLatest(KeyRef key);

    /** Wraps key bytes with RSA-OAEP-256 under exactly this version. */
    CompletionStage<byte[]> wrap(KeyVersionId key, byte[] plaintextKey);

    /** Unwraps bytes that {@link #wrap} produced under exactly this version. */
    CompletionStage<byte[]> unwrap(KeyVersionId key, byte[] wrappedKey);

    /** Describes the latest version, for validation (enabled, dates, recovery level, type, operations). */
    CompletionStage<KeyDescription> describe(KeyRef key);
}
