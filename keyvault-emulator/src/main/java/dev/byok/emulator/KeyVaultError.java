package dev.byok.emulator;

/** An error answered the way Key Vault answers it: status, {@code error.code}, message, {@code innererror.code}. */
final class KeyVaultError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;
    final String code;
    final String innerCode;
    final Integer retryAfterSeconds;

    KeyVaultError(int status, String code, String message, String innerCode, Integer retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.innerCode = innerCode;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    static KeyVaultError forbidden(String innerCode, String message) {
        return new KeyVaultError(403, "Forbidden", message, innerCode, null);
    }

    static KeyVaultError keyNotFound(String what) {
        return new KeyVaultError(404, "KeyNotFound", "A key with (name/id) " + what + " was not found in this key vault.", null, null);
    }

    static KeyVaultError badParameter(String message) {
        return new KeyVaultError(400, "BadParameter", message, null, null);
    }

    static KeyVaultError throttled(int retryAfterSeconds) {
        return new KeyVaultError(429, "Throttled", "Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached",
                null, retryAfterSeconds);
    }
}
