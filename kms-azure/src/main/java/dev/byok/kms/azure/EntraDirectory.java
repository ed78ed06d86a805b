package dev.byok.kms.azure;

import java.util.regex.Pattern;

/** A Microsoft Entra directory (tenant) id: a GUID, the form Key Vault's challenges and tokens carry. */
public final class EntraDirectory {
    private static final Pattern GUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private EntraDirectory() {}

    /** Whether {@code id} is a directory id in its canonical form (lowercase GUID). */
    public static boolean wellFormed(String id) {
        return id != null && GUID.matcher(id).matches();
    }
}
