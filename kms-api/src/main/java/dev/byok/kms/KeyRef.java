package dev.byok.kms;

import java.util.Objects;

/**
 * A customer key without a version, at one KMS provider. Services always use the key's latest
 * version, whatever version the admin named. Only the provider interprets {@code vault} and
 * {@code name}; the rest of the service compares them and limits calls per vault.
 *
 * @param provider the KMS provider that holds the key, e.g. {@code azure-key-vault}
 * @param vault    where the key lives, in the provider's canonical form; service limits apply per
 *                 vault (Azure: the vault's base URI {@code https://contoso.vault.azure.net})
 * @param name     the key's name in its vault
 */
public record KeyRef(String provider, String vault, String name) {
    public KeyRef {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(vault, "vault");
        Objects.requireNonNull(name, "name");
        if (provider.isEmpty() || vault.isEmpty() || name.isEmpty()) {
            throw new IllegalArgumentException("a key needs a provider, a vault and a name");
        }
    }

    public KeyVersionId version(String version) {
        return new KeyVersionId(this, version);
    }

    /** The key's id in its provider's syntax (what admins and events name). */
    @Override
    public String toString() {
        return KeyIdFormats.of(provider).format(this);
    }
}
