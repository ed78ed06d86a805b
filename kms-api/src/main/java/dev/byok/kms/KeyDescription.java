package dev.byok.kms;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the KMS can tell about a key's latest version, read with List permission alone where
 * possible. Fields a vault does not reveal to a List-only identity are empty.
 *
 * @param latest        the latest version
 * @param enabled       whether the latest version is enabled
 * @param notBefore     activation time, if set
 * @param expires       expiry time, if set
 * @param recoveryLevel the vault's recovery level (soft-delete and purge protection), if reported
 * @param keyType       {@code RSA} or {@code RSA-HSM}, when readable
 * @param keyOperations permitted operations (e.g. {@code wrapKey}), when readable
 * @param versionCount  how many versions the key has
 */
public record KeyDescription(
        KeyVersionId latest,
        boolean enabled,
        Optional<Instant> notBefore,
        Optional<Instant> expires,
        Optional<String> recoveryLevel,
        Optional<String> keyType,
        Optional<Set<String>> keyOperations,
        int versionCount) {
    /** Recovery levels with both soft-delete and purge protection. */
    public static final List<String> PURGE_PROTECTED_LEVELS = List.of(
            "Recoverable", "Recoverable+ProtectedSubscription",
            "CustomizedRecoverable", "CustomizedRecoverable+ProtectedSubscription");

    public KeyDescription {
        Objects.requireNonNull(latest, "latest");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(expires, "expires");
        Objects.requireNonNull(recoveryLevel, "recoveryLevel");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(keyOperations, "keyOperations");
        keyOperations = keyOperations.map(Set::copyOf);
    }

    /** Whether the vault reports soft-delete together with purge protection. */
    public boolean purgeProtected() {
        return recoveryLevel.map(PURGE_PROTECTED_LEVELS::contains).orElse(false);
    }
}
