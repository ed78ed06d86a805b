package dev.byok.kms;

/** One check a provider runs on a key before BYOK may be enabled (its API name, title and remedy). */
public interface KeyCheck {
    /** The check's stable name in the API, e.g. {@code KEY_EXISTS}. */
    String name();

    String title();

    /** What the admin can do when the check fails. */
    String remedy();
}
