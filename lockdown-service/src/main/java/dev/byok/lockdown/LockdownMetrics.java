package dev.byok.lockdown;

import dev.byok.model.LockStatus;
import java.util.Map;

/** What the engine reports for metrics; the Quarkus layer binds it to Micrometer. */
interface LockdownMetrics {
    LockdownMetrics NONE = new LockdownMetrics() {
        @Override
        public void transition(LockStatus from, LockStatus to) {
        }

        @Override
        public void probed(ProbeOutcome outcome) {
        }

        @Override
        public void owned(Map<LockStatus, Long> tenantsByStatus) {
        }
    };

    void transition(LockStatus from, LockStatus to);

    void probed(ProbeOutcome outcome);

    /** Tenants this replica owns, by status; called after every loop pass. */
    void owned(Map<LockStatus, Long> tenantsByStatus);
}
