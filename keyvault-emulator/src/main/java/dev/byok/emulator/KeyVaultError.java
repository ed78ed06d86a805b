package dev.byok.emulator;

/** An error answered the way Key Vault answers it: status, {@code error.code}, message, {@code innererror.code}. */
final class KeyVaultError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;
    final String code;
    final String innerCode;
    final Integer retryAfterSeconds;
    /** A WWW-Authenticate challenge sent with the error, or null. */
    final String challenge;

    KeyVaultError(int status, String code, String message, String innerCode, Integer retryAfterSeconds) {
        this(status, code, message, innerCode, retryAfterSeconds, null);
    }

    private KeyVaultError(
            int status, String code, String message, String innerCode, Integer retryAfterSeconds, String challenge) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.innerCode = innerCode;
        this.retryAfterSeconds = retryAfterSeconds;
        this.challenge = challenge;
    }

    /**
     * Continuous access evaluation: a still-valid token whose principal was removed is refused with
     * an {@code insufficient_claims} challenge, which makes the client sign in again (bypassing its
     * token cache) instead of reusing the token until it expires.
     */
    static KeyVaultError revokedToken(String directory, long issuedNoEarlierThan) {
        String claims = java.util.Base64.getEncoder()
                .encodeToString(
                        ("{\"access_token\":{\"nbf\":{\"essential\":true,\"value\":\"" + issuedNoEarlierThan + "\"}}}")
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String challenge = "Bearer authorization=\"https://login.microsoftonline.com/" + directory
                + "\", error=\"insufficient_claims\"," + " claims=\"" + claims + "\"";
        return new KeyVaultError(
                401,
                "Unauthorized",
                "AKV10000: The token's principal is no longer valid in directory " + directory + ".",
                null,
                null,
                challenge);
    }

    static KeyVaultError forbidden(String innerCode, String message) {
        return new KeyVaultError(403, "Forbidden", message, innerCode, null);
    }

    static KeyVaultError keyNotFound(String what) {
        return new KeyVaultError(
                404, "KeyNotFound", "A key with (name/id) " + what + " was not found in this key vault.", null, null);
    }

    static KeyVaultError badParameter(String message) {
        return new KeyVaultError(400, "BadParameter", message, null, null);
    }

    static KeyVaultError throttled(int retryAfterSeconds) {
        return new KeyVaultError(
                429,
                "Throttled",
                "Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached",
                null,
                retryAfterSeconds);
    }
}
