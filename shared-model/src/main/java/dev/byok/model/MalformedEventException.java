package dev.byok.model;

/** Event bytes that cannot be decoded. The message describes the problem, never the payload. */
public final class MalformedEventException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedEventException(String message) {
        super(message);
    }
}
