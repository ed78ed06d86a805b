package dev.byok.crypto;

import dev.byok.kms.InvalidCiphertextException;
import java.util.SortedSet;

/**
 * A wrapped DEK names a managed keyring version that this service was not configured with. Either
 * the keyring configuration dropped a version still in use, or the stored bytes were altered; in
 * both cases nothing can be decrypted, so it is still an {@link InvalidCiphertextException}.
 */
public final class UnknownManagedKeyVersionException extends InvalidCiphertextException {
    private static final long serialVersionUID = 1L;

    public UnknownManagedKeyVersionException(long version, SortedSet<Integer> known) {
        super("managed key version " + version + " is not in the keyring (configured versions: " + known + ")");
    }
}
