package dev.byok.sweeper;

import static dev.byok.sweeper.Blocking.await;

import dev.byok.store.Shredding;
import dev.byok.store.TenantEligibility;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * Crypto-shredding of offboarded tenants: first every DEK row is deleted, then the records
 * themselves, in batches ({@link Shredding}). Runs on every sweep for every offboarded tenant, so
 * anything written late (an ingest that had not yet seen the offboarding) is shredded too. This
 * covers the live store only: a backup taken before the shred still holds the tenant's wrapped DEKs,
 * which the long-lived managed keyring unwraps.
 */
@ApplicationScoped
public class ShredJob {
    private static final int DELETE_BATCH = 5_000;

    private final Shredding shredding;
    private final TenantEligibility eligibility;
    private final SweeperMetrics metrics;

    ShredJob(Shredding shredding, TenantEligibility eligibility, SweeperMetrics metrics) {
        this.shredding = shredding;
        this.eligibility = eligibility;
        this.metrics = metrics;
    }

    void run(Instant now) {
        eligibility.offboardedTenants().forEach(tenant -> shred(tenant, now));
    }

    private void shred(String tenant, Instant now) {
        metrics.converged("shred", "destroyed", await(shredding.destroyKeys(tenant, now)));
        int deleted;
        do {
            deleted = await(shredding.deleteRecords(tenant, now, DELETE_BATCH));
            metrics.recordsShredded(deleted);
        } while (deleted == DELETE_BATCH);
    }
}
