package dev.byok.sweeper;

import static dev.byok.sweeper.Blocking.await;

import dev.byok.crypto.WrappedDek;
import dev.byok.kms.KeyOperation;
import dev.byok.kms.KeyUsagePurpose;
import dev.byok.service.KeyVaultConfig;
import dev.byok.store.DekLeases;
import dev.byok.store.DekRepository.StoredDek;
import dev.byok.store.TenantEligibility;
import dev.byok.store.TenantKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Moves DEKs still under the global keyring (format 1, written before tenant keys) under their
 * tenant's own key (format 2), one claimed batch at a time, online: a managed-only DEK without any
 * call once the tenant key is open; a customer-wrapped one by peeling its customer layer and making
 * it again under the very key version it names (two calls to the customer's key). Nothing else
 * about the DEK changes. Tenants the sweeper may not touch wait ({@link TenantEligibility#unsweepable}).
 * Failures: {@link DekWorkFailures}.
 */
@ApplicationScoped
public class MigrateJob {
    private final DekLeases leases;
    private final TenantEligibility eligibility;
    private final TenantKeys keys;
    private final DekWorkFailures failures;
    private final SweeperMetrics metrics;
    private final int batchSize;

    MigrateJob(
            DekLeases leases,
            TenantEligibility eligibility,
            TenantKeys keys,
            DekWorkFailures failures,
            SweeperMetrics metrics,
            SweeperConfig config,
            KeyVaultConfig vault) {
        this.leases = leases;
        this.eligibility = eligibility;
        this.keys = keys;
        this.failures = failures;
        this.metrics = metrics;
        this.batchSize = KeyVaultRound.deks(config, vault);
    }

    /** One claimed batch; returns how many DEKs moved (0: nothing this replica can do now). */
    int runOnce() {
        List<StoredDek> claimed = await(leases.claimKeyring(List.copyOf(eligibility.unsweepable()), batchSize));
        int done = 0;
        for (StoredDek dek : claimed) {
            done += migrate(dek) ? 1 : 0;
        }
        return done;
    }

    private boolean migrate(StoredDek dek) {
        try {
            WrappedDek moved = await(keys.hierarchy(dek.tenantId(), KeyUsagePurpose.REWRAP)
                    .thenCompose(h -> h.toTenantKey(dek.id(), dek.tenantId(), dek.wrapped())));
            boolean written = await(leases.migrated(dek.id(), moved));
            metrics.converged("migrate", written ? "done" : "lease-lost");
            return written;
        } catch (RuntimeException e) {
            failures.failed("migrate", dek, dek.customerKeyId().orElse(""), KeyOperation.UNWRAP, e);
            return false;
        }
    }
}
