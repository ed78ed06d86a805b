package dev.byok.kms;

import java.util.Optional;

/** The in-memory KMS's key ids: {@code in-memory://{vault}/{name}/{version}}. */
public final class InMemoryKeyIds implements KeyIdFormat {
    public static final String PROVIDER = "in-memory";
    private static final String PREFIX = PROVIDER + "://";

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public Optional<KeyVersionId> parse(String id) {
        if (!id.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = id.substring(PREFIX.length()).split("/", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new KeyRef(PROVIDER, parts[0], parts[1]).version(parts[2]));
    }

    @Override
    public String format(KeyVersionId id) {
        return format(id.key()) + "/" + id.version();
    }

    @Override
    public String format(KeyRef key) {
        return PREFIX + key.vault() + "/" + key.name();
    }
}
