package dev.byok.kms;

import java.net.URI;
import java.util.Objects;

/**
 * A customer key without a version: the vault's base URI and the key's name. Services always use
 * the key's latest version, whatever version the admin's URI named.
 *
 * @param vaultUri the vault's base URI, e.g. {@code https://contoso.vault.azure.net}
 * @param name     the key name
 */
public record KeyRef(URI vaultUri, String name) {
    public KeyRef {
        Objects.requireNonNull(vaultUri, "vaultUri");
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("key name is empty");
        }
    }

    public KeyVersionId version(String version) {
        return new KeyVersionId(this, version);
    }

    @Override
    public String toString() {
        return vaultUri + "/keys/" + name;
    }
}
