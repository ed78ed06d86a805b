package dev.byok.kms;

import java.time.Instant;
import java.util.Set;

/**
 * A KMS under test together with the administrative levers a tenant admin or a fault would pull
 * on a real vault. The contract suite ({@link KmsContract}) drives every implementation through it.
 */
public interface KmsFixture extends AutoCloseable {
    /** Permissions the service identity can hold on a vault. */
    enum Permission {
        LIST,
        WRAP,
        UNWRAP
    }

    Kms kms();

    /** A new RSA key (one enabled version permitting wrapKey and unwrapKey) in a purge-protected vault. */
    KeyRef createKey(String name);

    KeyVersionId rotate(KeyRef key);

    void setEnabled(KeyVersionId version, boolean enabled);

    void setExpires(KeyVersionId version, Instant expires);

    void setNotBefore(KeyVersionId version, Instant notBefore);

    void setKeyOperations(KeyVersionId version, Set<String> operations);

    void delete(KeyRef key);

    void revoke(Permission permission);

    void grant(Permission permission);

    /** Makes every following call fail as this class would on the real service, until {@link #clearFaults()}. */
    void inject(KeyAccessFailure failure);

    void clearFaults();

    @Override
    default void close() {}
}
