package dev.byok.sweeper;

import dev.byok.crypto.KeyHierarchy;
import dev.byok.crypto.ManagedKeyring;
import dev.byok.crypto.WrappedDek;
import dev.byok.kms.KeyVersionId;
import dev.byok.kms.KmsException;
import dev.byok.kms.KmsFutures;
import dev.byok.kms.RateLimitedKms;
import dev.byok.model.KeyOperation;
import dev.byok.model.KeyUsagePurpose;
import dev.byok.service.Gate;
import dev.byok.service.KeyAccessReporter;
import dev.byok.service.KeyConfigs;
import dev.byok.service.KeyVaultConfig;
import dev.byok.service.KmsStack;
import dev.byok.store.CryptoConfig;
import dev.byok.store.DekRepository.StoredDek;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Brings every DEK to its tenant's target state, one claimed batch at a time:
 * <ul>
 * <li><b>protect</b> — BYOK enabled, DEK managed-only (written before enable, during an outage or while
 *     locked): add the customer layer under the version in use;</li>
 * <li><b>roll</b> — BYOK enabled, DEK under an older version: unwrap with the stored version, wrap with the latest;</li>
 * <li><b>disable</b> — BYOK disabled: remove the customer layer (the managed layer stays; data stays readable).</li>
 * </ul>
 * Locked and offboarded tenants are skipped (no customer-key work against a failing vault). A Key
 * Vault failure is reported to the key-access topic (it drives lockdown) and the DEK keeps its lease
 * until it expires: a natural back-off. Running out of this replica's own budget is not a key failure:
 * the DEK is released for the next round.
 */
@ApplicationScoped
public class ConvergeJob {
    private static final Duration ROUND_TIMEOUT = Duration.ofMinutes(5);

    private final DekLeases leases;
    private final KeyConfigs keyConfigs;
    private final Gate gate;
    private final KmsStack kms;
    private final KeyAccessReporter reporter;
    private final ManagedKeyring keyring;
    private final SweeperMetrics metrics;
    private final int batchSize;

    ConvergeJob(DekLeases leases, KeyConfigs keyConfigs, Gate gate, KmsStack kms, KeyAccessReporter reporter, CryptoConfig crypto,
                SweeperMetrics metrics, SweeperConfig config, KeyVaultConfig vault) {
        this.leases = leases;
        this.keyConfigs = keyConfigs;
        this.gate = gate;
        this.kms = kms;
        this.reporter = reporter;
        this.keyring = ManagedKeyring.parse(crypto.managedKeyring());
        this.metrics = metrics;
        // about one second of this replica's Key Vault budget per round: a DEK costs at most two calls, so a
        // whole round stays within the rate limiter's wait instead of being refused by this replica's own budget
        this.batchSize = Math.max(1, Math.min(config.batchSize(), vault.budget().opsPer10s() / 10));
    }

    /** One claimed batch; returns how many DEKs reached their target (0: nothing this replica can do now). */
    int runOnce() {
        Map<String, String> targets = targets();
        List<StoredDek> claimed = leases.claimUnconverged(targets, batchSize).await().atMost(ROUND_TIMEOUT);
        if (claimed.isEmpty()) {
            return 0;
        }
        List<Uni<Boolean>> work = claimed.stream().map(dek -> converge(dek, targets.get(dek.tenantId()))).toList();
        List<Boolean> done = Uni.join().all(work).andFailFast().await().atMost(ROUND_TIMEOUT);
        return (int) done.stream().filter(Boolean::booleanValue).count();
    }

    /**
     * Tenant → the customer key version its DEKs must be under ("" = managed only), for tenants this
     * sweep may touch: not locked, not offboarded, and with a readable configuration (an unreadable one
     * is reported in the tenant's protection status and its DEKs are left as they are).
     */
    private Map<String, String> targets() {
        Map<String, String> targets = new HashMap<>();
        keyConfigs.snapshot().forEach((tenant, config) -> {
            boolean locked = gate.gate().state(tenant).map(s -> s.locked()).orElse(false);
            if (!locked && !keyConfigs.offboarded(tenant) && keyConfigs.unreadable(tenant).isEmpty()) {
                targets.put(tenant, keyConfigs.customerKey(tenant).map(KeyVersionId::toString).orElse(""));
            }
        });
        return targets;
    }

    /** True when the DEK reached its target; failures are handled here and never fail the batch. */
    private Uni<Boolean> converge(StoredDek dek, String target) {
        Step step = step(dek, target);
        return Uni.createFrom().completionStage(step.work())
                .flatMap(wrapped -> leases.complete(dek.id(), wrapped))
                .invoke(done -> metrics.converged(step.name(), done ? "done" : "lease-lost"))
                .onFailure().recoverWithUni(error -> failed(dek, step, KmsFutures.cause(error)).replaceWith(false));
    }

    private Uni<Void> failed(StoredDek dek, Step step, Throwable cause) {
        if (cause instanceof RateLimitedKms.OwnBudgetExhausted) {
            metrics.converged(step.name(), "deferred");
            return leases.release(dek.id());
        }
        metrics.converged(step.name(), "failed");
        Log.warnf("%s of DEK %s (tenant %s) failed: %s", step.name(), dek.id(), dek.tenantId(),
                cause instanceof KmsException k ? k.failure() : cause.getClass().getSimpleName());
        if (cause instanceof KmsException) {
            reporter.failed(dek.tenantId(), step.keyId(), step.operation(), cause);
        }
        return Uni.createFrom().voidItem(); // the lease expires: the DEK is retried after it
    }

    /** What one DEK needs: the job's name, the Key Vault work producing its new wrapping, and the key it touches. */
    private record Step(String name, String keyId, KeyOperation operation, CompletionStage<? extends WrappedDek> work) {
    }

    private Step step(StoredDek dek, String target) {
        WrappedDek wrapped = dek.wrapped();
        if (!target.isEmpty()) {
            KeyVersionId version = KeyVersionId.parse(target);
            if (wrapped instanceof WrappedDek.ManagedOnly managed) {
                return new Step("protect", target, KeyOperation.WRAP, hierarchy(dek, KeyUsagePurpose.PROTECT).addCustomerLayer(managed, version));
            }
            WrappedDek.CustomerWrapped older = (WrappedDek.CustomerWrapped) wrapped;
            return new Step("roll", older.customerKey().toString(), KeyOperation.UNWRAP, hierarchy(dek, KeyUsagePurpose.REWRAP).rewrap(older, version));
        }
        if (wrapped instanceof WrappedDek.CustomerWrapped customer) {
            return new Step("disable", customer.customerKey().toString(), KeyOperation.UNWRAP,
                    hierarchy(dek, KeyUsagePurpose.REMOVE_LAYER).removeCustomerLayer(customer));
        }
        return new Step("disable", "", KeyOperation.UNWRAP, CompletableFuture.completedFuture(wrapped)); // pending flag only
    }

    private KeyHierarchy hierarchy(StoredDek dek, KeyUsagePurpose purpose) {
        return new KeyHierarchy(keyring, kms.forTenant(dek.tenantId(), purpose));
    }
}
