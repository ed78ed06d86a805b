package dev.byok.model;

/** A tenant's key health, as the lockdown service decides it. */
public enum LockStatus {
    /** The key works (or the tenant has no customer key). */
    HEALTHY,
    /** A key-access failure was seen; the tenant locks at the deadline unless a verified success comes first. */
    DEGRADED,
    /** All access to the tenant's data is refused until the key is verified again. Ingest continues. */
    LOCKED
}
