package dev.byok.model;

/** Customer-key operations, as audited and reported in key-access events. */
public enum KeyOperation {
    RESOLVE_LATEST, WRAP, UNWRAP, DESCRIBE
}
