package dev.byok.kms;

import java.util.List;
import java.util.ServiceLoader;

/** The installed providers' key id syntaxes, found once on the class path. */
final class KeyIdFormats {
    private static final List<KeyIdFormat> INSTALLED =
            ServiceLoader.load(KeyIdFormat.class, KeyIdFormat.class.getClassLoader()).stream()
                    .map(ServiceLoader.Provider::get)
                    .toList();

    private KeyIdFormats() {}

    static KeyIdFormat of(String provider) {
        return INSTALLED.stream()
                .filter(f -> f.provider().equals(provider))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no KMS provider '" + provider + "' is installed"));
    }

    static KeyVersionId parse(String id) {
        if (id == null || id.isEmpty() || id.length() > KeyVersionId.MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "key id is missing or longer than " + KeyVersionId.MAX_LENGTH + " characters");
        }
        if (!id.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("key id has characters other than printable ASCII");
        }
        List<KeyVersionId> read =
                INSTALLED.stream().flatMap(f -> f.parse(id).stream()).toList();
        if (read.size() != 1) {
            throw new IllegalArgumentException("not a versioned key id of "
                    + (read.isEmpty() ? "any installed" : "exactly one") + " KMS provider: " + id);
        }
        return read.get(0);
    }
}
