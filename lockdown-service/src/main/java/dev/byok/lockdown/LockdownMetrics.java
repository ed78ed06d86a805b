package dev.byok.lockdown;

import dev.byok.model.LockStatus;
import java.util.Map;

/** What the engine reports for metrics; the Quarkus layer binds it to Micrometer. */
interface LockdownMetrics {
    /** Reports nothing (every method does nothing unless overridden). */
    LockdownMetrics NONE = new LockdownMetrics() {};

    /** Input the engine did not take as given. */
    enum Anomaly {
        /** A record that could not be processed was skipped. */
        RECORD_SKIPPED,
        /** An event time outside the skew window was replaced by the trusted time. */
        EVENT_TIME_CLAMPED,
        /** A lock-state record (or tombstone) this engine did not write was overwritten with its own state. */
        FOREIGN_LOCK_STATE
    }

    default void transition(LockStatus from, LockStatus to) {}

    default void probed(ProbeOutcome outcome) {}

    /** Tenants this replica owns, by status; called after every loop pass. */
    default void owned(Map<LockStatus, Long> tenantsByStatus) {}

    default void anomaly(Anomaly anomaly) {}
}
