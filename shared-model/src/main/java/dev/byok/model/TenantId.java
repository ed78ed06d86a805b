package dev.byok.model;

import java.util.regex.Pattern;

/**
 * The tenant id format, checked wherever a tenant id enters the system (events, URLs, tokens):
 * 3 to 64 characters of lowercase letters, digits and hyphens, starting and ending with a letter
 * or digit. A Microsoft Entra tenant GUID in its usual lowercase form qualifies.
 */
public final class TenantId {
    public static final int MAX_LENGTH = 64;
    public static final String RULE = "3-64 characters of a-z, 0-9 and '-', starting and ending with a letter or digit";
    private static final Pattern FORMAT = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}[a-z0-9]");

    private TenantId() {}

    public static boolean isValid(String candidate) {
        return candidate != null
                && candidate.length() <= MAX_LENGTH
                && FORMAT.matcher(candidate).matches();
    }
}
