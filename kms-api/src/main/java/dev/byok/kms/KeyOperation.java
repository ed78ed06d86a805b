package dev.byok.kms;

/** Customer-key operations, as audited and reported in key-access events. */
public enum KeyOperation {
    RESOLVE_LATEST,
    WRAP,
    UNWRAP,
    DESCRIBE
}
