package dev.byok.kms;

/**
 * The one error for any stored ciphertext that cannot be parsed or authenticated: a corrupted,
 * truncated, moved or forged envelope or wrapped DEK. The message never says which check failed
 * (no decryption oracle), never contains key or data bytes.
 */
public class InvalidCiphertextException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidCiphertextException() {
        super("invalid ciphertext");
    }

    protected InvalidCiphertextException(String message) {
        super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        // thrown on hot paths and by fuzzing: the stack trace is never useful to a caller
        return this;
    }
}
