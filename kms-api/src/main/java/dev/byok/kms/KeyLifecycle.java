package dev.byok.kms;

import java.util.concurrent.CompletionStage;

/**
 * Creating and destroying keys in the service's own vault, where each tenant's key lives. Like
 * {@link Kms}, every failure completes the stage exceptionally with a {@link KmsException}.
 */
public interface KeyLifecycle {

    /** Creates an RSA key named {@code key} (or a new version of it) for wrap and unwrap; returns that version. */
    CompletionStage<KeyVersionId> create(KeyRef key);

    /**
     * Destroys every version of {@code key} for good: deleted, then purged from the vault's soft-delete
     * retention, so no restore brings it back. A key that does not exist (any more) completes normally.
     */
    CompletionStage<Void> destroy(KeyRef key);
}
