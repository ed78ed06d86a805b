package dev.byok.sweeper;

import static dev.byok.sweeper.Blocking.await;

import dev.byok.crypto.KeyHierarchy;
import dev.byok.crypto.WrappedDek;
import dev.byok.kms.KeyOperation;
import dev.byok.kms.KeyUsagePurpose;
import dev.byok.kms.KeyVersionId;
import dev.byok.service.KeyVaultConfig;
import dev.byok.store.DekLeases;
import dev.byok.store.DekRepository.StoredDek;
import dev.byok.store.KeyConfigs;
import dev.byok.store.TenantEligibility;
import dev.byok.store.TenantKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Brings every customer-wrapped DEK to its tenant's target state, one claimed batch at a time:
 * <ul>
 * <li><b>roll</b> — BYOK enabled, DEK under an older version: unwrap with the stored version, wrap with the latest;</li>
 * <li><b>disable</b> — BYOK disabled: remove the customer layer (the managed layer stays; data stays readable).</li>
 * </ul>
 * A BYOK tenant's DEK without a customer layer is temporary: it gets no layer here (its managed-only
 * copy may already sit in a backup) but has its records moved to a DEK born under the customer key
 * ({@link ReencryptJob}). Only tenants the sweeper may touch ({@link TenantEligibility#sweepable}) are converged. A batch's Key
 * Vault calls run side by side; each result is written back under the lease. Failures: {@link DekWorkFailures}.
 */
@ApplicationScoped
public class ConvergeJob {
    private final DekLeases leases;
    private final KeyConfigs keyConfigs;
    private final TenantEligibility eligibility;
    private final TenantKeys keys;
    private final DekWorkFailures failures;
    private final SweeperMetrics metrics;
    private final int batchSize;

    ConvergeJob(
            DekLeases leases,
            KeyConfigs keyConfigs,
            TenantEligibility eligibility,
            TenantKeys keys,
            DekWorkFailures failures,
            SweeperMetrics metrics,
            SweeperConfig config,
            KeyVaultConfig vault) {
        this.leases = leases;
        this.keyConfigs = keyConfigs;
        this.eligibility = eligibility;
        this.keys = keys;
        this.failures = failures;
        this.metrics = metrics;
        this.batchSize = KeyVaultRound.deks(config, vault);
    }

    /** One claimed batch; returns how many DEKs reached their target (0: nothing this replica can do now). */
    int runOnce() {
        Map<String, String> targets = targets();
        List<StoredDek> claimed = await(leases.claimUnconverged(targets, batchSize));
        List<Step> steps = claimed.stream()
                .map(dek -> step(dek, targets.get(dek.tenantId())))
                .toList(); // their calls start now
        int done = 0;
        for (int i = 0; i < claimed.size(); i++) {
            done += converge(claimed.get(i), steps.get(i)) ? 1 : 0;
        }
        return done;
    }

    /**
     * Tenant → the customer key version its DEKs must be under ("" = managed only), for the tenants
     * the sweeper may touch (an unreadable configuration is reported in the tenant's protection status).
     */
    private Map<String, String> targets() {
        Map<String, String> targets = new HashMap<>();
        keyConfigs.snapshot().keySet().stream()
                .filter(eligibility::sweepable)
                .forEach(tenant -> targets.put(
                        tenant,
                        keyConfigs
                                .customerKey(tenant)
                                .map(KeyVersionId::toString)
                                .orElse("")));
        return targets;
    }

    /** True when the DEK reached its target; a failure is handled here and never fails the batch. */
    private boolean converge(StoredDek dek, Step step) {
        try {
            boolean written = await(leases.complete(dek.id(), await(step.work())));
            metrics.converged(step.name(), written ? "done" : "lease-lost");
            return written;
        } catch (RuntimeException e) {
            failures.failed(step.name(), dek, step.keyId(), step.operation(), e);
            return false;
        }
    }

    /** What one DEK needs: the job's name, the Key Vault work producing its new wrapping, and the key it touches. */
    private record Step(
            String name, String keyId, KeyOperation operation, CompletionStage<? extends WrappedDek> work) {}

    private Step step(StoredDek dek, String target) {
        WrappedDek wrapped = dek.wrapped();
        if (!target.isEmpty()) { // claimed only when under another version: temporary DEKs are moved instead
            WrappedDek.CustomerWrapped older = (WrappedDek.CustomerWrapped) wrapped;
            return new Step(
                    "roll",
                    older.customerKeyId(),
                    KeyOperation.UNWRAP,
                    hierarchy(dek, KeyUsagePurpose.REWRAP)
                            .thenCompose(h -> h.rewrap(older, KeyVersionId.parse(target))));
        }
        if (wrapped instanceof WrappedDek.CustomerWrapped customer) {
            return new Step(
                    "disable",
                    customer.customerKeyId(),
                    KeyOperation.UNWRAP,
                    hierarchy(dek, KeyUsagePurpose.REMOVE_LAYER).thenCompose(h -> h.removeCustomerLayer(customer)));
        }
        return new Step(
                "disable", "", KeyOperation.UNWRAP, CompletableFuture.completedFuture(wrapped)); // pending flag only
    }

    private CompletionStage<KeyHierarchy> hierarchy(StoredDek dek, KeyUsagePurpose purpose) {
        return keys.hierarchy(dek.tenantId(), purpose);
    }
}
