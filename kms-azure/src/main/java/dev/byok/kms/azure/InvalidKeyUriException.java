package dev.byok.kms.azure;

/** A key URI an admin submitted that cannot be used; the message says exactly why and what is expected. */
public final class InvalidKeyUriException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidKeyUriException(String message) {
        super(message);
    }
}
