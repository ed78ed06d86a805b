package dev.byok.kms;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * One version of a customer key: what a customer-wrapped DEK stores, so it is always unwrapped by
 * the version that wrapped it. Its string form is the Key Vault key identifier
 * {@code https://{vault}/keys/{name}/{version}}.
 */
public record KeyVersionId(KeyRef key, String version) {
    /** Upper bound on a stored key id's UTF-8 length. */
    public static final int MAX_LENGTH = 1024;

    public KeyVersionId {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(version, "version");
        if (version.isEmpty()) {
            throw new IllegalArgumentException("key version is empty");
        }
    }

    /**
     * Parses a versioned key id into its canonical form (host in lowercase). This checks the shape
     * only; which hosts are acceptable for a tenant's key is decided where admins submit URIs.
     */
    public static KeyVersionId parse(String kid) {
        if (kid == null || kid.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("key id is missing or longer than " + MAX_LENGTH + " characters");
        }
        try {
            URI uri = new URI(kid);
            String[] path =
                    uri.getRawPath() == null ? new String[0] : uri.getRawPath().split("/", -1);
            if (!"https".equals(uri.getScheme())
                    || uri.getRawQuery() != null
                    || uri.getRawFragment() != null
                    || uri.getHost() == null
                    || path.length != 4
                    || !path[0].isEmpty()
                    || !"keys".equals(path[1])
                    || path[2].isEmpty()
                    || path[3].isEmpty()) {
                throw new IllegalArgumentException(
                        "not a versioned key id (https://{vault}/keys/{name}/{version}): " + kid);
            }
            URI vault = new URI(
                    "https", null, uri.getHost().toLowerCase(java.util.Locale.ROOT), uri.getPort(), null, null, null);
            return new KeyVersionId(new KeyRef(vault, path[2]), path[3]);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid URI: " + kid, e);
        }
    }

    @Override
    public String toString() {
        return key + "/" + version;
    }
}
