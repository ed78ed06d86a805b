package dev.byok.sweeper;

import static dev.byok.sweeper.Blocking.await;

import dev.byok.kms.KmsFutures;
import dev.byok.store.Shredding;
import dev.byok.store.TenantEligibility;
import dev.byok.store.TenantKeyStore;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * Crypto-shredding of offboarded tenants, in this order:
 * <ol>
 * <li>the tenant key in the service's vault is deleted and purged ({@link TenantKeyStore#destroy}):
 *     from then on no copy of the tenant's format-2 DEKs opens, in any backup taken before;</li>
 * <li>every DEK row and the tenant key row are deleted;</li>
 * <li>then the records themselves, in batches ({@link Shredding}).</li>
 * </ol>
 * Runs on every sweep for every offboarded tenant, so anything written late (an ingest that had not
 * yet seen the offboarding) is shredded too. A tenant whose key cannot be purged now keeps its rows
 * until the next sweep: rows never go before the key.
 */
@ApplicationScoped
public class ShredJob {
    private static final int DELETE_BATCH = 5_000;

    private final Shredding shredding;
    private final TenantKeyStore tenantKeys;
    private final TenantEligibility eligibility;
    private final SweeperMetrics metrics;

    ShredJob(Shredding shredding, TenantKeyStore tenantKeys, TenantEligibility eligibility, SweeperMetrics metrics) {
        this.shredding = shredding;
        this.tenantKeys = tenantKeys;
        this.eligibility = eligibility;
        this.metrics = metrics;
    }

    void run(Instant now) {
        for (String tenant : eligibility.offboardedTenants()) {
            try {
                shred(tenant, now);
            } catch (RuntimeException e) { // one tenant's failure holds up neither the others nor the sweep
                metrics.converged("shred", "failed");
                Log.warnf(
                        "shredding tenant %s failed (%s); the next sweep retries",
                        tenant, KmsFutures.cause(e).getClass().getSimpleName());
            }
        }
    }

    private void shred(String tenant, Instant now) {
        if (!await(shredding.tenantKeyPurged(tenant))) { // purged once: later sweeps cost the vault nothing
            await(tenantKeys.destroy(tenant));
        }
        metrics.converged("shred", "destroyed", await(shredding.destroyKeys(tenant, now)));
        int deleted;
        do {
            deleted = await(shredding.deleteRecords(tenant, now, DELETE_BATCH));
            metrics.recordsShredded(deleted);
        } while (deleted == DELETE_BATCH);
    }
}
