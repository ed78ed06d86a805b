package dev.byok.kms;

/** Why a service called the customer's key: every audit record says it. */
public enum KeyUsagePurpose {
    /** Wrapping a new DEK. */
    NEW_DEK,
    /** Unwrapping a stored DEK to read or write records. */
    DEK_LOAD,
    /** Putting a pending (managed-only) DEK under the customer key. */
    PROTECT,
    /** Re-wrapping a DEK under the latest key version after a roll. */
    REWRAP,
    /** Removing the customer layer after BYOK was disabled. */
    REMOVE_LAYER,
    /** A lockdown health probe (wrap + unwrap round trip). */
    PROBE,
    /** Validating a key URI for an admin. */
    VALIDATION,
    /** Polling the key's versions to detect a roll. */
    ROLL_CHECK
}
